package dev.athena.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Catch-up work on a cron schedule (copies, verification, drills): unlike a periodic backup, a
 * run that falls due while a job runs is not skipped but started at the first tick that finds the
 * job slot free; then the next moment is taken after now. No cron expression: never due.
 */
public final class CatchUpTimer {
    private final Optional<CronSchedule> schedule;
    private final Clock clock;
    private Instant next;

    public CatchUpTimer(Optional<CronSchedule> schedule, Clock clock) {
        this.schedule = schedule;
        this.clock = clock;
        this.next = after(clock.instant());
    }

    private Instant after(Instant t) {
        return schedule.flatMap(s -> s.next(t.atZone(ZoneOffset.UTC))).map(ZonedDateTime::toInstant).orElse(null);
    }

    /** Called every tick: when due, tries {@code start} (false: the slot is busy, try again next tick). */
    public synchronized void tick(BooleanSupplier start) {
        if (next == null || clock.instant().isBefore(next)) {
            return;
        }
        if (start.getAsBoolean()) {
            next = after(clock.instant());
        }
    }
}
