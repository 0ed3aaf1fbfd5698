package dev.athena.schedule;

import java.time.ZonedDateTime;
import java.util.Optional;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * The seed's BACKUP_FREQUENCY: six fields with seconds first ({@code 0 0 *&#47;2 * * *}), or
 * the five fields of Unix cron. Times are evaluated in UTC.
 */
public final class CronSchedule {
    private static final CronParser SIX_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
    private static final CronParser FIVE_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ExecutionTime execution;

    private CronSchedule(String expression, Cron cron) {
        this.expression = expression;
        this.execution = ExecutionTime.forCron(cron);
    }

    public static CronSchedule parse(String expression) {
        String e = expression == null ? "" : expression.trim().replaceAll("\\s+", " ");
        int fields = e.isEmpty() ? 0 : e.split(" ").length;
        try {
            if (fields == 6) {
                return new CronSchedule(e, SIX_FIELDS.parse(e).validate());
            }
            if (fields == 5) {
                return new CronSchedule(e, FIVE_FIELDS.parse(e).validate());
            }
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
        throw new IllegalArgumentException("expected 6 fields (sec min hour day month weekday) or 5 (min hour day month weekday), got " + fields);
    }

    /** The first time strictly after {@code after} at which the schedule fires. */
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
        return execution.nextExecution(after);
    }

    @Override
    public String toString() {
        return expression;
    }
}
