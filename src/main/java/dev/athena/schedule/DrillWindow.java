package dev.athena.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Keeps scheduled drills from holding up periodic backups: a drill expected (from the last one's
 * duration) to still run when the next backup falls due starts after that backup instead, as long
 * as it fits between two backups. One that fits nowhere runs when due; the backup then waits for it.
 */
public final class DrillWindow {
    private final CronSchedule backups;

    public DrillWindow(CronSchedule backups) {
        this.backups = backups;
    }

    /**
     * True when a drill due at {@code now}, expected to take {@code expected}, should wait for the
     * periodic backup due at {@code nextBackup} (null: none scheduled, never wait).
     */
    public boolean waitForBackup(Instant now, Duration expected, Instant nextBackup) {
        if (nextBackup == null || expected == null || !now.plus(expected).isAfter(nextBackup)) {
            return false;
        }
        Instant afterThat = backups.next(nextBackup.atZone(ZoneOffset.UTC)).map(z -> z.toInstant()).orElse(null);
        return afterThat != null && Duration.between(nextBackup, afterThat).compareTo(expected) > 0;
    }
}
