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
import dev.athena.concurrent.Parallel;
import dev.athena.restore.RestoreWaves;
import dev.athena.component.ExternalCommand;
import dev.athena.component.RestoreOutcome;
import dev.athena.config.AthenaConfig;
import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.restore.HealthCheck;
import dev.athena.restore.JenkinsRun;
import dev.athena.restore.PlatformUpgrade;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One disaster-recovery restore, phase by phase, each recorded with its start, end and outcome:
 * validate, pre-restore checks, upgrade, restore (the data side by side, then the configuration), post-restore
 * checks, report. Nothing in the destination is written before every pre-restore check passed;
 * the report is written whatever happened, so a failed restore has its evidence too.
 */
final class RestoreJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RestoreJob.class);

    private final Supplier<Repository> source;
    private final BackupCatalog catalog;
    private final Metrics metrics;
    private final Clock clock;
    private final List<Component> components;
    private final AthenaConfig config;
    private RestoreRecord record;
    private final List<RestoreRecord.Phase> phases = new ArrayList<>();
    private final List<RestoreRecord.Check> checks = new ArrayList<>();
    private final Map<String, RestoreRecord.ComponentOutcome> outcomes = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> plan = new ArrayList<>();
    private String versionAfter;
    private String upgradeOutput;
    private String postRestoreOutput;
    private String jenkinsBuild;
    private String reportUrl;
    private Map<String, Manifest.Window> backupWindows;

    RestoreJob(Supplier<Repository> source, BackupCatalog catalog, Metrics metrics, Clock clock, List<Component> components,
               AthenaConfig config, RestoreRecord running) {
        this.source = source;
        this.catalog = catalog;
        this.metrics = metrics;
        this.clock = clock;
        this.components = components;
        this.config = config;
        this.record = running;
        this.versionAfter = running.versionBefore();
    }

    /** A phase failed: the restore stops there, naming it. */
    private static final class PhaseFailed extends RuntimeException {
        PhaseFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    private void phase(String name, Step step) {
        Instant start = clock.instant();
        save(Status.Running, null);
        try {
            String detail = step.run();
            phases.add(new RestoreRecord.Phase(name, Status.Success, start.toString(), clock.instant().toString(),
                    Duration.between(start, clock.instant()).toMillis(), detail));
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            phases.add(new RestoreRecord.Phase(name, Status.Failed, start.toString(), clock.instant().toString(),
                    Duration.between(start, clock.instant()).toMillis(), why));
            throw new PhaseFailed(name + " failed: " + why, e);
        }
    }

    private void skip(String name, String why) {
        String now = clock.instant().toString();
        phases.add(new RestoreRecord.Phase(name, Status.Success, now, now, 0L, "skipped: " + why));
    }

    private void check(String phase, CheckResult r) {
        checks.add(new RestoreRecord.Check(phase, r.name(), r.passed(), r.detail()));
    }

    private boolean failedChecks(String phase) {
        return checks.stream().anyMatch(c -> c.phase().equals(phase) && !c.passed());
    }

    private String failedNames(String phase) {
        return String.join("; ", checks.stream().filter(c -> c.phase().equals(phase) && !c.passed())
                .map(c -> c.name() + " (" + c.detail() + ")").toList());
    }

    @Override
    public void run() {
        RestoreRequest req = record.request();
        String ts = record.timestamp();
        AthenaConfig.RecoverySettings recovery = config.recovery();
        HealthCheck health = new HealthCheck(recovery.healthCheckUrls(), recovery.healthTimeout(), Duration.ofSeconds(2));
        PlatformUpgrade upgrade = new PlatformUpgrade(recovery.upgradeCommand(), recovery.upgradeTimeout());
        log.info("restore {} started: backup {} of namespace {} into namespace {}{}", record.restoreId(), ts, record.namespace(),
                record.destinationNamespace(), req.dryRun() ? " (dry run)" : "");
        String error = null;
        try {
            Repository[] repo = new Repository[1];
            Manifest[] manifest = new Manifest[1];
            List<Component> selected = new ArrayList<>();
            phase("validate", () -> {
                repo[0] = source.get();
                manifest[0] = repo[0].readManifest(ts);
                backupWindows = manifest[0].windows();
                check("validate", new CheckResult("backup " + ts + " exists and is Success", true, record.backupurl()));
                for (Component c : components) {
                    if (!manifest[0].components().containsKey(c.name())) {
                        continue;
                    }
                    if (req.restores(c.name())) {
                        selected.add(c);
                    } else {
                        outcomes.put(c.name(), new RestoreRecord.ComponentOutcome(Status.Success, null, "skipped: svcs." + c.name() + ".disable"));
                    }
                }
                for (String held : manifest[0].components().keySet()) {
                    if (components.stream().noneMatch(c -> c.name().equals(held))) {
                        warnings.add("the backup holds " + held + ", which this cluster does not have configured: not restored");
                    }
                }
                return "backup holds " + manifest[0].components().keySet() + "; restoring " + selected.stream().map(Component::name).toList();
            });
            try (RepositoryLock lock = RepositoryLock.sharedForReading(repo[0], "restore of " + ts)) {
                PlatformUpgrade.Plan[] upgradePlan = new PlatformUpgrade.Plan[1];
                phase("pre-restore checks", () -> {
                    check("pre-restore checks", new CheckResult("no other backup or restore is running", true, "this restore holds the job slot"));
                    for (Component c : selected) {
                        try {
                            long packs = repo[0].packsVerified();
                            long bytes = repo[0].bytesVerified();
                            c.precheck(repo[0], ts, manifest[0].components().get(c.name()));
                            packs = repo[0].packsVerified() - packs;
                            bytes = repo[0].bytesVerified() - bytes;
                            // Evidence with numbers: how much was read back and hash-checked before anything was written.
                            check("pre-restore checks", new CheckResult(c.name() + ": data intact, destination reachable, writable and large enough", true,
                                    packs == 0 ? "no data of it in the repository to read (it is kept outside, e.g. an RDS snapshot)"
                                            : "all " + packs + " packs it needs (" + bytes + " bytes) read back, each one's SHA-256 matching its name"));
                        } catch (Exception e) {
                            check("pre-restore checks", new CheckResult(c.name() + ": data intact, destination reachable, writable and large enough", false,
                                    e.getMessage() == null ? e.toString() : e.getMessage()));
                        }
                    }
                    try {
                        upgradePlan[0] = req.disableUpgrade() ? null : upgrade.plan(record.backupVersion(), record.versionBefore(), req.allowDowngrade());
                        check("pre-restore checks", new CheckResult("platform versions compatible", true,
                                upgradePlan[0] == null ? "upgrade disabled on request" : upgradePlan[0].reason()));
                    } catch (RuntimeException e) {
                        check("pre-restore checks", new CheckResult("platform versions compatible", false, e.getMessage()));
                    }
                    if (req.disablePreRestoreChecks()) {
                        check("pre-restore checks", new CheckResult("destination healthy", true, "skipped on request (disablePreRestoreChecks)"));
                    } else if (health.configured()) {
                        List<String> failing = health.awaitHealthy();
                        check("pre-restore checks", new CheckResult("destination healthy (HEALTH_CHECK_URLS)", failing.isEmpty(),
                                failing.isEmpty() ? recovery.healthCheckUrls().size() + " endpoints answered 2xx" : String.join("; ", failing)));
                    }
                    if (failedChecks("pre-restore checks")) {
                        throw new IllegalStateException(failedNames("pre-restore checks") + "; nothing was written");
                    }
                    return checks.stream().filter(c -> c.phase().equals("pre-restore checks")).count() + " checks passed";
                });
                if (req.dryRun()) {
                    planDryRun(upgradePlan[0], selected, manifest[0]);
                    skip("upgrade", "dry run");
                    skip("restore", "dry run");
                    skip("post-restore checks", "dry run");
                } else {
                    runUpgrade(req, upgradePlan[0], upgrade, health);
                    restoreComponents(repo[0], ts, manifest[0], selected);
                    postRestoreChecks(repo[0], ts, manifest[0], selected, health, req);
                }
            }
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            if (JobRunner.stoppedByShutdown(e)) {
                error = "interrupted: Athena stopped while the restore ran (" + error + ")";
            }
        }
        finish(error);
    }

    private void runUpgrade(RestoreRequest req, PlatformUpgrade.Plan plan, PlatformUpgrade upgrade, HealthCheck health) {
        if (req.disableUpgrade()) {
            skip("upgrade", "disableUpgrade: the destination stays at version " + record.versionBefore());
            return;
        }
        if (!plan.needed()) {
            skip("upgrade", plan.reason());
            return;
        }
        phase("upgrade", () -> {
            upgradeOutput = upgrade.run(plan);
            versionAfter = record.backupVersion();
            if (health.configured()) {
                List<String> failing = health.awaitHealthy();
                check("upgrade", new CheckResult("destination healthy after the upgrade", failing.isEmpty(),
                        failing.isEmpty() ? "all endpoints answered 2xx" : String.join("; ", failing)));
                if (!failing.isEmpty()) {
                    throw new IllegalStateException("the destination is not healthy after the upgrade: " + String.join("; ", failing));
                }
            }
            return "upgraded " + plan.reason() + " with UPGRADE_COMMAND";
        });
    }

    /** The data components side by side, then the configuration ({@link RestoreWaves}); each one's outcome is saved as it ends. */
    private void restoreComponents(Repository repo, String ts, Manifest manifest, List<Component> selected) {
        phase("restore", () -> {
            try {
                RestoreWaves.run(selected, config.tuning().componentThreads(), c -> {
                    Instant t0 = clock.instant();
                    try {
                        RestoreOutcome outcome = c.restore(repo, ts, manifest.components().get(c.name()));
                        Map<String, Long> stats = new LinkedHashMap<>(outcome.stats());
                        stats.put("durationMs", Duration.between(t0, clock.instant()).toMillis());
                        log.info("restore {} component {}: {}", record.restoreId(), c.name(), stats);
                        synchronized (this) {
                            outcome.notes().forEach(n -> warnings.add(c.name() + ": " + n));
                            outcomes.put(c.name(), new RestoreRecord.ComponentOutcome(Status.Success, stats, null));
                            save(Status.Running, null);
                        }
                    } catch (Exception e) {
                        synchronized (this) {
                            outcomes.put(c.name(), new RestoreRecord.ComponentOutcome(Status.Failed, null, e.getMessage()));
                        }
                        throw e;
                    }
                }, (later, failed) -> outcomes.put(later.name(), new RestoreRecord.ComponentOutcome(Status.Failed, null,
                        "not restored: " + failed.name() + " failed first")));
            } finally {
                // Outcomes arrive in the order components end; the record lists them in restore order.
                Map<String, RestoreRecord.ComponentOutcome> restored = new LinkedHashMap<>();
                for (Component c : selected) {
                    RestoreRecord.ComponentOutcome o = outcomes.remove(c.name());
                    if (o != null) {
                        restored.put(c.name(), o);
                    }
                }
                outcomes.putAll(restored);
            }
            return "restored " + selected.stream().map(Component::name).toList();
        });
    }

    private void postRestoreChecks(Repository repo, String ts, Manifest manifest, List<Component> selected, HealthCheck health, RestoreRequest req) {
        if (req.disablePostRestoreChecks() && !req.enableJenkinsTestRun()) {
            skip("post-restore checks", "disablePostRestoreChecks");
            return;
        }
        phase("post-restore checks", () -> {
            String phase = "post-restore checks";
            if (!req.disablePostRestoreChecks()) {
                // Read-only and independent (row counts, file hashes, git fsck): side by side, recorded in restore order.
                List<java.util.concurrent.Callable<List<CheckResult>>> verifications = selected.stream()
                        .<java.util.concurrent.Callable<List<CheckResult>>>map(c -> () -> c.verifyRestored(repo, ts, manifest.components().get(c.name())))
                        .toList();
                Parallel.Outcomes<List<CheckResult>> verified = Parallel.runAll("athena-verify-restored", config.tuning().componentThreads(), verifications, false);
                for (int i = 0; i < selected.size(); i++) {
                    Parallel.Outcome<List<CheckResult>> o = verified.each().get(i);
                    if (o.failed()) {
                        check(phase, new CheckResult(selected.get(i).name() + ": restored data matches the backup", false, o.failure().getMessage()));
                    } else {
                        o.value().forEach(r -> check(phase, r));
                    }
                }
                if (health.configured()) {
                    List<String> failing = health.awaitHealthy();
                    check(phase, new CheckResult("platform healthy (HEALTH_CHECK_URLS)", failing.isEmpty(),
                            failing.isEmpty() ? config.recovery().healthCheckUrls().size() + " endpoints answered 2xx" : String.join("; ", failing)));
                }
                if (config.recovery().postRestoreCommand().isPresent()) {
                    ExternalCommand.Result r = new ExternalCommand(List.of("/bin/sh", "-c", config.recovery().postRestoreCommand().get()),
                            Map.of("ATHENA_BACKUP", ts, "ATHENA_NAMESPACE", record.destinationNamespace()))
                            .timeout(config.recovery().postRestoreTimeout()).run();
                    String out = (r.stdout() + r.stderr()).strip();
                    postRestoreOutput = out.length() > 4000 ? out.substring(out.length() - 4000) : out;
                    check(phase, new CheckResult("POST_RESTORE_COMMAND test suite", r.ok(), "exit " + r.exitCode()));
                }
            } else {
                check(phase, new CheckResult("data and health checks", true, "skipped on request (disablePostRestoreChecks)"));
            }
            if (req.enableJenkinsTestRun()) {
                if (config.recovery().jenkins().isEmpty()) {
                    check(phase, new CheckResult("Jenkins test run", false, "enableJenkinsTestRun is set but JENKINS_URL and JENKINS_JOB are not"));
                } else {
                    try {
                        JenkinsRun.Build build = new JenkinsRun(config.recovery().jenkins().get(), Duration.ofSeconds(2)).run(record.restoreId());
                        jenkinsBuild = build.url() + " " + build.result();
                        check(phase, new CheckResult("Jenkins test run", build.passed(), build.url() + " ended " + build.result()));
                    } catch (Exception e) {
                        check(phase, new CheckResult("Jenkins test run", false, e.getMessage()));
                    }
                }
            }
            if (failedChecks(phase)) {
                throw new IllegalStateException(failedNames(phase));
            }
            return checks.stream().filter(c -> c.phase().equals(phase)).count() + " checks passed";
        });
    }

    private void planDryRun(PlatformUpgrade.Plan upgradePlan, List<Component> selected, Manifest manifest) {
        if (record.request().disableUpgrade()) {
            plan.add("no upgrade (disableUpgrade); the destination stays at " + record.versionBefore());
        } else if (upgradePlan != null && upgradePlan.needed()) {
            plan.add("upgrade the platform " + upgradePlan.reason() + " by running: " + upgradePlan.command());
        } else if (upgradePlan != null) {
            plan.add("no upgrade: " + upgradePlan.reason());
        }
        for (Component c : selected) {
            Manifest.ComponentSnapshot s = manifest.components().get(c.name());
            plan.add("restore " + c.name() + " (" + s.kind() + ", " + s.stats().getOrDefault("bytes", 0L) + " bytes) over this cluster's " + c.name());
        }
        outcomes.forEach((name, o) -> plan.add("leave " + name + " untouched (" + o.error() + ")"));
        plan.add(record.request().disablePostRestoreChecks() ? "skip the post-restore checks" : "check the restored data and the platform's health");
    }

    private void finish(String error) {
        Status status = error == null ? Status.Success : Status.Failed;
        Instant reportStart = clock.instant();
        try {
            RestoreRecord draft = build(status, error);
            RecoveryReport report = new RecoveryReport(draft);
            String detail;
            if (record.request().enableReportGeneration()) {
                catalog.saveReport(draft, Json.write(report.json()), report.html());
                detail = "written to the backup location and served at " + reportUrl();
            } else {
                detail = "not stored (enableReportGeneration is false); served on demand at " + reportUrl();
            }
            reportUrl = reportUrl();
            phases.add(new RestoreRecord.Phase("report", Status.Success, reportStart.toString(), clock.instant().toString(),
                    Duration.between(reportStart, clock.instant()).toMillis(), detail));
        } catch (RuntimeException e) {
            phases.add(new RestoreRecord.Phase("report", Status.Failed, reportStart.toString(), clock.instant().toString(),
                    Duration.between(reportStart, clock.instant()).toMillis(), e.getMessage()));
            error = error == null ? "report failed: " + e.getMessage() : error;
            status = Status.Failed;
        }
        save(status, error);
        // The stored report must show the report phase too: write it once more with the final record.
        if (record.request().enableReportGeneration()) {
            RecoveryReport report = new RecoveryReport(record);
            catalog.saveReport(record, Json.write(report.json()), report.html());
        }
        metrics.restoreFinished(status == Status.Success);
        if (status == Status.Success) {
            log.info("restore {} Success in {} ms (RPO {} s)", record.restoreId(), record.durationMs(), record.rpoSeconds());
        } else {
            log.error("restore {} Failed after {} ms: {}", record.restoreId(), record.durationMs(), error);
        }
    }

    private String reportUrl() {
        return "/athena/api/v1/restorereport?timestamp=" + record.timestamp() + "&restoreId=" + record.restoreId();
    }

    private RestoreRecord build(Status status, String error) {
        boolean done = status.finished();
        Instant started = Instant.parse(record.startedAt());
        Long duration = done ? Duration.between(started, clock.instant()).toMillis() : null;
        Long rpo = Duration.between(Timestamps.parse(record.timestamp()), started).getSeconds();
        return new RestoreRecord(record.backupurl(), record.namespace(), status, record.timestamp(), record.destinationNamespace(),
                record.restoreId(), record.startedAt(), done ? clock.instant().toString() : null, duration, record.request(),
                List.copyOf(phases), new LinkedHashMap<>(outcomes), List.copyOf(warnings), error, reportUrl, List.copyOf(checks),
                record.backupVersion(), record.versionBefore(), versionAfter, duration == null ? null : Math.round(duration / 1000.0), rpo,
                upgradeOutput, postRestoreOutput, jenkinsBuild, plan.isEmpty() ? null : List.copyOf(plan), backupWindows);
    }

    private void save(Status status, String error) {
        record = build(status, error);
        catalog.save(record);
    }
}
