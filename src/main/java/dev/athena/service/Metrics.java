package dev.athena.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.athena.concurrent.ProgressMeter;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The service's Prometheus metrics, through the Prometheus Java client (which names, escapes and
 * formats them), rendered in the text exposition format for GET /metrics.
 */
public final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge lastSuccess = Gauge.builder().name("athena_backup_last_success_timestamp_seconds")
            .help("Unix time of the last successful backup").register(registry);
    private final Counter backups = Counter.builder().name("athena_backups_total").help("Backups finished, by status")
            .labelNames("status").register(registry);
    private final Counter restores = Counter.builder().name("athena_restores_total").help("Restores finished, by status")
            .labelNames("status").register(registry);
    private final Counter backupFailures = Counter.builder().name("athena_backup_failures_total").help("Backups that failed")
            .register(registry);
    private final Counter skippedRuns = Counter.builder().name("athena_scheduled_backups_skipped_total")
            .help("Periodic backups skipped because a job was running").register(registry);
    private final Gauge jobRunning = Gauge.builder().name("athena_job_running").help("1 while a backup, restore or sweep runs")
            .register(registry);
    private final Gauge leader = Gauge.builder().name("athena_leader")
            .help("1 while this replica leads (runs the schedule and jobs); always 1 without leader election").register(registry);
    private final Gauge componentDuration = Gauge.builder().name("athena_component_backup_duration_seconds")
            .help("Duration of the component's last successful backup").labelNames("component").register(registry);
    private final Gauge componentBytes = Gauge.builder().name("athena_component_backup_bytes")
            .help("Bytes in the component's last successful backup").labelNames("component").register(registry);
    private final Gauge progressBytes = Gauge.builder().name("athena_job_progress_bytes")
            .help("Bytes done in the running job's phase (read and stored by a backup, written by a restore, checked by its pre-restore checks)")
            .labelNames("job").register(registry);
    private final Gauge progressFiles = Gauge.builder().name("athena_job_progress_files")
            .help("Files done in the running job's phase").labelNames("job").register(registry);
    private final Gauge progressRatio = Gauge.builder().name("athena_job_progress_ratio")
            .help("Fraction of the running job's phase done, 0 to 1, where its total is known (a backup's is estimated from the last one)")
            .labelNames("job").register(registry);
    private final Gauge secondsLeft = Gauge.builder().name("athena_job_remaining_seconds")
            .help("Estimated seconds left in the running job's phase, at its rate so far").labelNames("job").register(registry);
    private final Counter copies = Counter.builder().name("athena_copies_total")
            .help("Runs of the copy to the second location (COPY_TO), by result: Success, Failed, Paused (let a job go first)")
            .labelNames("result").register(registry);
    private final Gauge lastCopy = Gauge.builder().name("athena_copy_last_success_timestamp_seconds")
            .help("Unix time the second location (COPY_TO) was last brought fully in step").register(registry);
    private final Counter notifications = Counter.builder().name("athena_notifications_total")
            .help("Webhook notifications (NOTIFY_WEBHOOK_URLS) by result: delivered, or failed after every attempt").labelNames("result")
            .register(registry);
    private final Gauge achievedInterval = Gauge.builder().name("athena_backup_achieved_interval_seconds")
            .help("Time between the two newest successful backups: the recovery point objective the schedule actually achieved").register(registry);
    private final Gauge scheduledInterval = Gauge.builder().name("athena_backup_interval_seconds")
            .help("Time between two periodic backups on BACKUP_FREQUENCY (the next two runs); 0 when periodic backups are off").register(registry);
    private final Gauge lastDuration = Gauge.builder().name("athena_backup_last_duration_seconds")
            .help("How long the newest successful backup took").register(registry);
    private final Gauge runningFor = Gauge.builder().name("athena_job_running_seconds")
            .help("How long the running job has run so far, by kind (backup, restore, copy); only while one runs").labelNames("job").register(registry);
    private final Gauge verifiedAt = Gauge.builder().name("athena_verify_last_run_timestamp_seconds")
            .help("Unix time the last continuous verification (VERIFY_FREQUENCY) ended").register(registry);
    private final Gauge verifyCycle = Gauge.builder().name("athena_verify_cycle_ratio")
            .help("Share of the stored packs read back in the current verification cycle, 0 to 1").register(registry);
    private final Gauge verifyCycleDone = Gauge.builder().name("athena_verify_last_cycle_completed_timestamp_seconds")
            .help("Unix time a verification cycle last finished reading back every stored pack").register(registry);
    private final Gauge damagedPacks = Gauge.builder().name("athena_verify_damaged_packs")
            .help("Damaged packs, manifests and index files the last verification found").register(registry);
    private final Gauge damagedBackups = Gauge.builder().name("athena_verify_damaged_backups")
            .help("Backups the last verification found needing damaged data (recorded Failed and damaged)").register(registry);
    private final Counter drills = Counter.builder().name("athena_drills_total").help("Restore drills finished, by status")
            .labelNames("status").register(registry);
    private final Gauge drillSuccess = Gauge.builder().name("athena_drill_last_success_timestamp_seconds")
            .help("Unix time the last successful restore drill ended").register(registry);
    private final Gauge drillRto = Gauge.builder().name("athena_drill_last_rto_seconds")
            .help("How long the last successful restore drill took: the recovery time its backup would give").register(registry);
    private final Gauge walStreaming = Gauge.builder().name("athena_wal_archive_streaming")
            .help("1 while the write-ahead log streams into the repository (POSTGRES_WAL_ARCHIVE)").register(registry);
    private final Gauge walLagBytes = Gauge.builder().name("athena_wal_archive_lag_bytes")
            .help("Bytes of WAL the server has written that are not yet stored in the repository").register(registry);
    private final Gauge walLagSeconds = Gauge.builder().name("athena_wal_archive_lag_seconds")
            .help("How long the oldest WAL not yet stored has waited: the recovery point's age if the server were lost now").register(registry);
    private final Gauge walArchived = Gauge.builder().name("athena_wal_archived_position_bytes")
            .help("The WAL position (LSN, as a number) up to which everything is archived").register(registry);
    private final Counter walSegments = Counter.builder().name("athena_wal_segments_archived_total")
            .help("Complete WAL segments stored since Athena started").register(registry);
    private long walSegmentsSeen;
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

    public Metrics() {
        // Both outcomes show from the start, at 0, so a dashboard's rate() has a series to work on.
        for (String status : new String[] {"Success", "Failed"}) {
            drills.initLabelValues(status);
            backups.initLabelValues(status);
            restores.initLabelValues(status);
        }
    }

    void backupSucceeded(long epochSeconds, long durationMs, Map<String, Map<String, Long>> componentStats) {
        double previous = lastSuccess.get();
        if (previous > 0) {
            achievedInterval.set(epochSeconds - previous);
        }
        lastSuccess.set(epochSeconds);
        lastDuration.set(durationMs / 1000.0);
        backups.labelValues("Success").inc();
        componentStats.forEach((name, stats) -> {
            componentDuration.labelValues(name).set(stats.getOrDefault("durationMs", 0L) / 1000.0);
            componentBytes.labelValues(name).set(stats.getOrDefault("bytes", 0L));
        });
    }

    /**
     * The freshness gauges from the backups' records, when the service starts leading: without it a
     * restarted service said its last success was at 0 (1970), and an alert on backup age fired.
     */
    void seed(java.util.List<BackupRecord> records) {
        java.util.List<BackupRecord> good = records.stream().filter(r -> r.status() == JobStatus.Success && r.finishedAt() != null)
                .sorted(java.util.Comparator.comparing(BackupRecord::timestamp).reversed()).limit(2).toList();
        if (good.isEmpty() || lastSuccess.get() > 0) {
            return;
        }
        long newest = java.time.Instant.parse(good.get(0).finishedAt()).getEpochSecond();
        lastSuccess.set(newest);
        if (good.get(0).durationMs() != null) {
            lastDuration.set(good.get(0).durationMs() / 1000.0);
        }
        if (good.size() == 2) {
            achievedInterval.set(newest - java.time.Instant.parse(good.get(1).finishedAt()).getEpochSecond());
        }
    }

    void scheduledInterval(long seconds) {
        scheduledInterval.set(seconds);
    }

    void backupFailed() {
        backups.labelValues("Failed").inc();
        backupFailures.inc();
    }

    void drillFinished(boolean success, long epochSeconds, Long rtoSeconds) {
        drills.labelValues(success ? "Success" : "Failed").inc();
        if (success) {
            drillSuccess.set(epochSeconds);
            if (rtoSeconds != null) {
                drillRto.set(rtoSeconds);
            }
        }
    }

    void restoreFinished(boolean success) {
        restores.labelValues(success ? "Success" : "Failed").inc();
    }

    void copyFinished(String result, long epochSeconds) {
        copies.labelValues(result).inc();
        if (result.equals("Success")) {
            lastCopy.set(epochSeconds);
        }
    }

    /** Only a service with COPY_TO shows the copy's series, from the start. */
    void copyConfigured() {
        for (String result : new String[] {"Success", "Failed", "Paused"}) {
            copies.initLabelValues(result);
        }
    }

    /** With NOTIFY_WEBHOOK_URLS: both series from the start, at 0, so increase() sees the first failure. */
    void notificationsConfigured() {
        notifications.initLabelValues("delivered");
        notifications.initLabelValues("failed");
    }

    synchronized void walArchive(dev.athena.component.postgres.pitr.WalArchiver.Status s) {
        walStreaming.set(s.streaming() ? 1 : 0);
        walLagBytes.set(s.lagBytes());
        walLagSeconds.set(s.lagSeconds());
        if (s.archivedLsn() != null) {
            walArchived.set(s.archivedLsn());
        }
        if (s.segmentsArchived() > walSegmentsSeen) {
            walSegments.inc(s.segmentsArchived() - walSegmentsSeen);
            walSegmentsSeen = s.segmentsArchived();
        }
    }

    void verified(long epochSeconds, dev.athena.maintenance.RollingVerification.Result r) {
        verifiedAt.set(epochSeconds);
        verifyCycle.set(r.cycleCompleted() || r.packsTotal() == 0 ? 0 : Math.min(1.0, (double) r.state().cyclePacksDone() / r.packsTotal()));
        if (r.cycleCompleted()) {
            verifyCycleDone.set(epochSeconds);
        }
        damagedPacks.set(r.damagedPacks().size() + r.damagedManifests().size() + r.damagedIndexFiles().size());
        damagedBackups.set(r.affected().size());
    }

    void notification(String result) {
        notifications.labelValues(result).inc();
    }

    public void runSkipped() {
        skippedRuns.inc();
    }

    /** The text exposition format, with the job, its progress (by kind of job: backup, restore) and leadership gauges as they are now. */
    public String render(boolean jobRunningNow, boolean leaderNow, Map<String, ProgressMeter.Snapshot> progress) {
        return render(jobRunningNow, leaderNow, progress, Map.of());
    }

    /** As above, with how long each running kind of job has run. */
    public String render(boolean jobRunningNow, boolean leaderNow, Map<String, ProgressMeter.Snapshot> progress, Map<String, Long> elapsedSeconds) {
        jobRunning.set(jobRunningNow ? 1 : 0);
        leader.set(leaderNow ? 1 : 0);
        for (String job : new String[] {"backup", "restore", "copy", "verification", "drill"}) {
            Long elapsed = elapsedSeconds.get(job);
            if (elapsed == null) {
                runningFor.remove(job);
            } else {
                runningFor.labelValues(job).set(elapsed);
            }
            ProgressMeter.Snapshot p = progress.get(job);
            // A series exists only while its kind of job runs: a stale "90% done" would read as a stuck job.
            if (p == null) {
                progressBytes.remove(job);
                progressFiles.remove(job);
            } else {
                progressBytes.labelValues(job).set(p.bytesDone());
                progressFiles.labelValues(job).set(p.filesDone());
            }
            if (p == null || p.percent() == null) {
                progressRatio.remove(job);
            } else {
                progressRatio.labelValues(job).set(p.percent() / 100.0);
            }
            if (p == null || p.secondsLeft() == null) {
                secondsLeft.remove(job);
            } else {
                secondsLeft.labelValues(job).set(p.secondsLeft());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            text.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The content type of {@link #render}'s text, version included. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
