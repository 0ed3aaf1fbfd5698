package dev.athena.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.athena.backup.Timestamps;

/**
 * BACKUP_RETENTION_PERIOD: finished backups older than the period go, except the newest
 * successful one, whatever its age (so a cluster that stopped backing up keeps its last good
 * backup); a period of 0 keeps only that one. Running backups are never touched.
 */
public final class RetentionPolicy {
    private final Duration period;

    public RetentionPolicy(int days) {
        if (days < 0) {
            throw new IllegalArgumentException("retention period must not be negative");
        }
        this.period = Duration.ofDays(days);
    }

    /** What the policy needs to know of one backup: its name, whether it has ended, and whether it succeeded. */
    public record Kept(String timestamp, boolean finished, boolean successful) {
    }

    /** The timestamps of the backups to delete, given every backup of the namespace. */
    public List<String> expired(List<Kept> backups, Instant now) {
        String newestSuccess = backups.stream().filter(Kept::successful)
                .map(Kept::timestamp).max(String::compareTo).orElse(null);
        Instant cutoff = now.minus(period);
        List<String> out = new ArrayList<>();
        for (Kept b : backups) {
            if (b.finished() && !b.timestamp().equals(newestSuccess)
                    && (period.isZero() || Timestamps.parse(b.timestamp()).isBefore(cutoff))) {
                out.add(b.timestamp());
            }
        }
        out.sort(null);
        return out;
    }
}
