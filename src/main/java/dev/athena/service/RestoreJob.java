package dev.athena.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.athena.backup.Timestamps;
import dev.athena.component.CheckResult;
import dev.athena.component.Component;
import dev.athena.config.AthenaConfig;
import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.storage.CountingStore;
import dev.athena.restore.DisasterRecovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of one restore: {@link DisasterRecovery} does the work, phase by phase; this
 * keeps the restore's record up to date as it progresses and writes its disaster-recovery report,
 * whatever happened, so a failed restore has its evidence too.
 */
final class RestoreJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RestoreJob.class);

    /** Where a job's records and reports go: the restores' store or the drills'. */
    interface Recorder {
        void save(RestoreRecord record);

        void saveReport(RestoreRecord record, byte[] json, String html);
    }

    /**
     * What differs between a restore and a restore drill: its name, where the records and the
     * report go, the report's address, what it does around the data (a drill runs no health checks,
     * no upgrade, and DRILL_COMMAND instead of POST_RESTORE_COMMAND), and what it removes before its
     * end is recorded ({@code cleanUp}: a line for the record, or null when there is nothing to do).
     * {@code commandEnvironment} tells the command run after the checks where the data went.
     */
    record Kind(String name, Recorder recorder, java.util.function.Function<RestoreRecord, String> reportUrlOf,
                java.util.function.Function<RestoreRequest, DisasterRecovery.Options> optionsOf, dev.athena.restore.RecoverySettings settings,
                Map<String, String> commandEnvironment, java.util.concurrent.Callable<String> cleaner) {
        void save(RestoreRecord record) {
            recorder.save(record);
        }

        void saveReport(RestoreRecord record, byte[] json, String html) {
            recorder.saveReport(record, json, html);
        }

        String reportUrl(RestoreRecord record) {
            return reportUrlOf.apply(record);
        }

        DisasterRecovery.Options options(RestoreRequest request) {
            return optionsOf.apply(request);
        }

        String cleanUp() throws Exception {
            return cleaner.call();
        }

        /** The setting of the command run after the checks, which names its check. */
        String commandVariable() {
            return name.equals("drill") ? "DRILL_COMMAND" : "POST_RESTORE_COMMAND";
        }
    }

    /** A restore into this cluster, recorded in {@code <ns>/restores/}. */
    static Kind restore(JobRecords records, AthenaConfig config) {
        return new Kind("restore", records, r -> "/athena/api/v1/restorereport?timestamp=" + r.timestamp() + "&restoreId=" + r.restoreId(), RestoreRequest::recoveryOptions,
                config.recovery(), Map.of("ATHENA_NAMESPACE", config.namespace()), () -> null);
    }

    private final Kind kind;

    private final Supplier<Repository> source;
    private final Metrics metrics;
    private final Clock clock;
    private final List<Component> components;
    private final AthenaConfig config;
    private RestoreRecord record;
    private DisasterRecovery.Progress progress;
    private final List<RestoreRecord.Phase> servicePhases = new ArrayList<>();
    private String reportUrl;
    private final Supplier<CountingStore.Requests> requestCounts;
    private final Notifier notifier;
    private final EvidenceSigner signer;
    private CountingStore.Requests requestsBefore;
    /** The recovery this job runs, once begun: its meter is the job's progress. */
    private volatile DisasterRecovery recovery;

    RestoreJob(Supplier<Repository> source, Supplier<CountingStore.Requests> requestCounts, Kind kind, Metrics metrics, Clock clock,
               List<Component> components, AthenaConfig config, RestoreRecord running, Notifier notifier, EvidenceSigner signer) {
        this.kind = kind;
        this.notifier = notifier;
        this.signer = signer;
        this.source = source;
        this.requestCounts = requestCounts;
        this.metrics = metrics;
        this.clock = clock;
        this.components = components;
        this.config = config;
        this.record = running;
    }

    @Override
    public void run() {
        requestsBefore = requestCounts.get();
        RestoreRequest req = record.request();
        log.info("{} {} started: backup {} of namespace {} into {}{}", kind.name(), record.restoreId(), record.timestamp(), record.namespace(),
                record.targets() == null ? "namespace " + record.destinationNamespace() : "scratch targets " + record.targets(), req.dryRun() ? " (dry run)" : "");
        recovery = new DisasterRecovery(source, record.timestamp(), components);
        DisasterRecovery.Outcome outcome = recovery
                .options(kind.options(req))
                .settings(kind.settings())
                .versions(record.backupVersion(), record.versionBefore())
                .componentThreads(config.tuning().componentThreads())
                .clock(clock)
                .identity(record.restoreId(), kind.commandVariable(), kind.commandEnvironment())
                .backupUrl(record.backupurl())
                .precondition(new CheckResult("no other backup or restore is running", true, "this restore holds the job slot"))
                .listener(new DisasterRecovery.Listener() {
                    @Override
                    public void progressed(DisasterRecovery.Progress p) {
                        progress = p;
                        save(JobStatus.Running, null);
                    }
                })
                .run();
        progress = outcome.progress();
        String error = outcome.error();
        if (error != null && JobRunner.stoppedByShutdown(outcome.failure())) {
            error = "interrupted: Athena stopped while the restore ran (" + error + ")";
        }
        finish(error);
    }

    /** How far this restore has got; null until the backup it restores is opened. */
    dev.athena.concurrent.ProgressMeter meter() {
        DisasterRecovery r = recovery;
        return r == null ? null : r.meter();
    }

    private void finish(String error) {
        // Before the end is recorded: a drill that reads Success or Failed has left nothing behind.
        Instant cleanupStart = clock.instant();
        try {
            String cleaned = kind.cleanUp();
            if (cleaned != null) {
                servicePhases.add(new RestoreRecord.Phase("cleanup", JobStatus.Success, cleanupStart.toString(), clock.instant().toString(),
                        Duration.between(cleanupStart, clock.instant()).toMillis(), cleaned));
            }
        } catch (Exception e) {
            servicePhases.add(new RestoreRecord.Phase("cleanup", JobStatus.Failed, cleanupStart.toString(), clock.instant().toString(),
                    Duration.between(cleanupStart, clock.instant()).toMillis(), e.getMessage()));
            error = error == null ? "cleanup failed: " + e.getMessage() : error;
        }
        JobStatus status = error == null ? JobStatus.Success : JobStatus.Failed;
        Instant reportStart = clock.instant();
        try {
            RestoreRecord draft = build(status, error);
            RecoveryReport report = report(draft);
            String detail;
            if (record.request().enableReportGeneration()) {
                kind.saveReport(draft, Json.write(report.json()), report.html());
                detail = "written to the backup location and served at " + reportUrl();
            } else {
                detail = "not stored (enableReportGeneration is false); served on demand at " + reportUrl();
            }
            reportUrl = reportUrl();
            servicePhases.add(new RestoreRecord.Phase("report", JobStatus.Success, reportStart.toString(), clock.instant().toString(),
                    Duration.between(reportStart, clock.instant()).toMillis(), detail));
        } catch (RuntimeException e) {
            servicePhases.add(new RestoreRecord.Phase("report", JobStatus.Failed, reportStart.toString(), clock.instant().toString(),
                    Duration.between(reportStart, clock.instant()).toMillis(), e.getMessage()));
            error = error == null ? "report failed: " + e.getMessage() : error;
            status = JobStatus.Failed;
        }
        save(status, error);
        // The stored report must show the report phase too: write it once more with the final record.
        if (record.request().enableReportGeneration()) {
            RecoveryReport report = report(record);
            kind.saveReport(record, Json.write(report.json()), report.html());
        }
        if (kind.name().equals("drill")) {
            metrics.drillFinished(status == JobStatus.Success, clock.instant().getEpochSecond(), record.rtoSeconds());
        } else {
            metrics.restoreFinished(status == JobStatus.Success);
        }
        notifier.notify(new Notifier.Event(kind.name(), status.name(), record.targets() == null ? record.destinationNamespace() : record.namespace(), record.timestamp(), record.restoreId(), error,
                record.durationMs(), reportUrl()));
        if (status == JobStatus.Success) {
            log.info("{} {} Success in {} ms (RPO {} s)", kind.name(), record.restoreId(), record.durationMs(), record.rpoSeconds());
        } else {
            log.error("{} {} Failed after {} ms: {}", kind.name(), record.restoreId(), record.durationMs(), error);
        }
    }

    private RecoveryReport report(RestoreRecord of) {
        return new RecoveryReport(of, config.recovery().rtoTarget(), config.recovery().rpoTarget(), signer);
    }

    private String reportUrl() {
        return kind.reportUrl(record);
    }

    private static JobStatus status(boolean succeeded) {
        return succeeded ? JobStatus.Success : JobStatus.Failed;
    }

    private RestoreRecord build(JobStatus status, String error) {
        boolean done = status.finished();
        Instant started = Instant.parse(record.startedAt());
        Long duration = done ? Duration.between(started, clock.instant()).toMillis() : null;
        DisasterRecovery.Progress p = progress;
        Long rpo = rpoSeconds(started, p);
        List<RestoreRecord.Phase> phases = new ArrayList<>();
        List<RestoreRecord.Check> checks = new ArrayList<>();
        Map<String, RestoreRecord.ComponentOutcome> outcomes = new LinkedHashMap<>();
        if (p != null) {
            p.phases().forEach(ph -> phases.add(new RestoreRecord.Phase(ph.name(), status(ph.succeeded()), ph.startedAt().toString(),
                    ph.finishedAt().toString(), ph.durationMs(), ph.detail())));
            p.checks().forEach(c -> checks.add(new RestoreRecord.Check(c.phase(), c.name(), c.passed(), c.detail())));
            p.components().forEach((name, r) -> outcomes.put(name, new RestoreRecord.ComponentOutcome(status(r.succeeded()), r.stats(), r.error())));
        }
        phases.addAll(servicePhases);
        return new RestoreRecord(record.backupurl(), record.namespace(), status, record.timestamp(), record.destinationNamespace(),
                record.restoreId(), record.startedAt(), done ? clock.instant().toString() : null, duration, record.request(),
                List.copyOf(phases), outcomes, p == null ? List.of() : p.warnings(), error, reportUrl, List.copyOf(checks),
                record.backupVersion(), record.versionBefore(), p == null ? record.versionBefore() : p.versionAfter(),
                duration == null ? null : Math.round(duration / 1000.0), rpo,
                p == null ? null : p.upgradeOutput(), p == null ? null : p.postRestoreOutput(), p == null ? null : p.jenkinsBuild(),
                p == null || p.plan().isEmpty() ? null : p.plan(), p == null ? null : p.backupWindows(),
                requestsBefore == null ? null : requestCounts.get().minus(requestsBefore), record.targets(), null);
    }

    /**
     * The recovery point achieved: the backup's age when the restore began; for a point-in-time
     * restore, how far the earliest component lies before the moment asked for (PostgreSQL's last
     * replayed transaction, the others' capture), once the components are restored.
     */
    private Long rpoSeconds(Instant started, DisasterRecovery.Progress p) {
        Long fromBackup = Duration.between(Timestamps.parse(record.timestamp()), started).getSeconds();
        java.time.Instant target = record.request() == null ? null : record.request().targetInstant();
        if (target == null || p == null || p.components().isEmpty()) {
            return fromBackup;
        }
        java.time.Instant goal = target.equals(dev.athena.component.Component.LATEST) ? started : target;
        java.time.Instant earliest = null;
        for (Map.Entry<String, DisasterRecovery.ComponentResult> e : p.components().entrySet()) {
            Long recovered = e.getValue().stats() == null ? null : e.getValue().stats().get("recoveredToEpochMs");
            dev.athena.repository.Manifest.Window w = p.backupWindows() == null ? null : p.backupWindows().get(e.getKey());
            java.time.Instant at = recovered != null ? java.time.Instant.ofEpochMilli(recovered) : w != null ? Instant.parse(w.finishedAt()) : null;
            if (at != null && (earliest == null || at.isBefore(earliest))) {
                earliest = at;
            }
        }
        return earliest == null ? fromBackup : Math.max(0, Duration.between(earliest, goal).getSeconds());
    }

    private synchronized void save(JobStatus status, String error) {
        record = build(status, error);
        kind.save(record);
    }
}
