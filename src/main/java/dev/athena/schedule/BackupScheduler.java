package dev.athena.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires periodic backups on BACKUP_FREQUENCY and retention sweeps at least hourly. It does no
 * sleeping of its own: {@link #tick()} is called every second by the service (and directly by
 * tests, on a fake clock). A backup that falls due while a job runs is skipped and logged, never
 * queued.
 */
public final class BackupScheduler {
    private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);
    private final CronSchedule schedule;
    private final boolean backupsEnabled;
    private final Clock clock;
    private final BooleanSupplier startBackup;
    private final BooleanSupplier startSweep;
    private final Duration sweepEvery;
    private Instant nextBackup;
    private Instant nextSweep;
    private int skipped;

    /** {@code startBackup} and {@code startSweep} return false when another job is running. */
    public BackupScheduler(CronSchedule schedule, boolean backupsEnabled, Clock clock, BooleanSupplier startBackup,
                           BooleanSupplier startSweep, Duration sweepEvery) {
        this.schedule = schedule;
        this.backupsEnabled = backupsEnabled;
        this.clock = clock;
        this.startBackup = startBackup;
        this.startSweep = startSweep;
        this.sweepEvery = sweepEvery;
        Instant now = clock.instant();
        this.nextBackup = backupsEnabled ? next(now) : null;
        this.nextSweep = now.plus(sweepEvery);
    }

    private Instant next(Instant after) {
        return schedule.next(after.atZone(ZoneOffset.UTC)).map(z -> z.toInstant()).orElse(null);
    }

    public synchronized void tick() {
        Instant now = clock.instant();
        if (nextBackup != null && !now.isBefore(nextBackup)) {
            if (startBackup.getAsBoolean()) {
                log.info("periodic backup due at {} started", nextBackup);
            } else {
                skipped++;
                log.warn("periodic backup due at {} skipped: another backup or restore is still running", nextBackup);
            }
            nextBackup = next(now);
        }
        if (!now.isBefore(nextSweep)) {
            if (!startSweep.getAsBoolean()) {
                log.info("retention sweep postponed: a job is running");
            }
            // After a busy hour the sweep still runs after that job's backup, or at the next hour.
            nextSweep = now.plus(sweepEvery);
        }
    }

    /**
     * Sets the next backup to the first due after {@code since}: a replica that takes over from a
     * leader last seen alive then starts, at its next tick, a backup that fell due meanwhile.
     */
    public synchronized void resumeFrom(Instant since) {
        if (backupsEnabled) {
            nextBackup = next(since);
        }
    }

    public synchronized Instant nextBackup() {
        return nextBackup;
    }

    public synchronized int skipped() {
        return skipped;
    }
}
