package dev.athena.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.athena.backup.Timestamps;

/**
 * Which backups are kept. BACKUP_RETENTION_PERIOD: finished backups older than the period go,
 * except the newest successful one, whatever its age (so a cluster that stopped backing up keeps
 * its last good backup); a period of 0 keeps only that one. Besides the period, the
 * RETENTION_KEEP_* counts keep backups by calendar (grandfather-father-son) with restic's
 * {@code forget --keep-hourly|daily|weekly|monthly|yearly} rules, in UTC: going from the newest
 * successful backup back, the newest one of each of the last N hours (days, ISO weeks, months,
 * years) that have one. Running backups are never touched; a failed one counts for no calendar
 * and goes with the period. The newest backup proven restorable (by a drill or a complete
 * verification cycle) is always kept.
 */
public final class RetentionPolicy {
    private final Duration period;
    private final Keep keep;

    /** RETENTION_KEEP_HOURLY, _DAILY, _WEEKLY, _MONTHLY, _YEARLY; 0: that calendar keeps nothing. */
    public record Keep(int hourly, int daily, int weekly, int monthly, int yearly) {
        public static final Keep NONE = new Keep(0, 0, 0, 0, 0);

        public Keep {
            if (hourly < 0 || daily < 0 || weekly < 0 || monthly < 0 || yearly < 0) {
                throw new IllegalArgumentException("a RETENTION_KEEP_* count must not be negative");
            }
        }

        public boolean any() {
            return hourly + daily + weekly + monthly + yearly > 0;
        }

        @Override
        public String toString() {
            return "keep hourly " + hourly + ", daily " + daily + ", weekly " + weekly + ", monthly " + monthly + ", yearly " + yearly;
        }
    }

    public RetentionPolicy(int days) {
        this(days, Keep.NONE);
    }

    public RetentionPolicy(int days, Keep keep) {
        if (days < 0) {
            throw new IllegalArgumentException("retention period must not be negative");
        }
        this.period = Duration.ofDays(days);
        this.keep = keep;
    }

    /**
     * What the policy needs to know of one backup: its name, whether it has ended, whether it
     * succeeded, and whether it was proven restorable (a successful restore drill, or a complete
     * verification cycle that read back all its data).
     */
    public record Kept(String timestamp, boolean finished, boolean successful, boolean proven) {
        public Kept(String timestamp, boolean finished, boolean successful) {
            this(timestamp, finished, successful, false);
        }
    }

    /** One backup's fate and every reason for it, as GET /retentionplan shows it. */
    public record Decision(String timestamp, boolean keep, List<String> reasons) {
    }

    /** A calendar of the GFS rules: its name, how many periods it keeps, and the period a moment falls in. */
    private record Calendar(String name, int count, Function<ZonedDateTime, String> period) {
    }

    private List<Calendar> calendars() {
        return List.of(
                new Calendar("hourly", keep.hourly(), t -> String.format(Locale.ROOT, "%tF %<tH:00", t)),
                new Calendar("daily", keep.daily(), t -> String.format(Locale.ROOT, "%tF", t)),
                new Calendar("weekly", keep.weekly(), t -> String.format(Locale.ROOT, "%d-W%02d", t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR))),
                new Calendar("monthly", keep.monthly(), t -> String.format(Locale.ROOT, "%tY-%<tm", t)),
                new Calendar("yearly", keep.yearly(), t -> String.format(Locale.ROOT, "%tY", t)));
    }

    /** Every backup, newest first, with whether it is kept and why. */
    public List<Decision> plan(List<Kept> backups, Instant now) {
        List<Kept> newestFirst = backups.stream().sorted(Comparator.comparing(Kept::timestamp).reversed()).toList();
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        newestFirst.forEach(b -> reasons.put(b.timestamp(), new ArrayList<>()));
        newestFirst.stream().filter(Kept::successful).findFirst().ifPresent(b -> reasons.get(b.timestamp()).add("the newest successful backup"));
        // Whatever the rules say, the newest backup known to restore stays: the proof is worth more than the space.
        newestFirst.stream().filter(b -> b.successful() && b.proven()).findFirst()
                .ifPresent(b -> reasons.get(b.timestamp()).add("the newest backup proven restorable (a drill or a verification cycle)"));
        Instant cutoff = now.minus(period);
        for (Kept b : newestFirst) {
            if (!b.finished()) {
                reasons.get(b.timestamp()).add("running");
            } else if (!period.isZero() && !Timestamps.parse(b.timestamp()).isBefore(cutoff)) {
                reasons.get(b.timestamp()).add("within " + period.toDays() + " days (BACKUP_RETENTION_PERIOD)");
            }
        }
        for (Calendar c : calendars()) {
            int left = c.count();
            String last = null;
            for (Kept b : newestFirst) {
                if (left == 0) {
                    break;
                }
                if (!b.successful()) {
                    continue;
                }
                String p = c.period().apply(Timestamps.parse(b.timestamp()).atZone(ZoneOffset.UTC));
                if (!p.equals(last)) {
                    reasons.get(b.timestamp()).add(c.name() + " " + p);
                    last = p;
                    left--;
                }
            }
        }
        List<Decision> out = new ArrayList<>();
        reasons.forEach((ts, why) -> out.add(new Decision(ts, !why.isEmpty(), List.copyOf(why))));
        return out;
    }

    /** The timestamps of the backups to delete, oldest first, given every backup of the namespace. */
    public List<String> expired(List<Kept> backups, Instant now) {
        List<String> out = new ArrayList<>(plan(backups, now).stream().filter(d -> !d.keep()).map(Decision::timestamp).toList());
        out.sort(null);
        return out;
    }

    /** The rules in force, for GET /retentionplan and the log. */
    public Map<String, Object> rules() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("retentionDays", period.toDays());
        r.put("keepHourly", keep.hourly());
        r.put("keepDaily", keep.daily());
        r.put("keepWeekly", keep.weekly());
        r.put("keepMonthly", keep.monthly());
        r.put("keepYearly", keep.yearly());
        return r;
    }
}
