package dev.athena.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.athena.backup.Timestamps;
import dev.athena.service.BackupRecord;
import dev.athena.service.Status;

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

    /** The timestamps of the backups to delete, given every backup of the namespace. */
    public List<String> expired(List<BackupRecord> backups, Instant now) {
        String newestSuccess = backups.stream().filter(b -> b.status() == Status.Success)
                .map(BackupRecord::timestamp).max(String::compareTo).orElse(null);
        Instant cutoff = now.minus(period);
        List<String> out = new ArrayList<>();
        for (BackupRecord b : backups) {
            if (b.status().finished() && !b.timestamp().equals(newestSuccess)
                    && (period.isZero() || Timestamps.parse(b.timestamp()).isBefore(cutoff))) {
                out.add(b.timestamp());
            }
        }
        out.sort(null);
        return out;
    }
}
