package dev.athena.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.athena.backup.BackupNames;
import dev.athena.backup.Timestamps;
import dev.athena.component.Component;
import dev.athena.concurrent.Parallel;
import dev.athena.config.AthenaConfig;
import dev.athena.config.BackupUrls;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreSource;
import dev.athena.schedule.BackupScheduler;
import dev.athena.schedule.RetentionPolicy;
import dev.athena.storage.CountingStore;
import dev.athena.storage.ObjectStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Athena as a service: on-demand and periodic backups, restores, retention, one job at a time,
 * with every job's record kept in the backup location.
 */
public final class AthenaService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AthenaService.class);
    private final AthenaConfig config;
    private final ObjectStore store;
    private final Clock clock;
    private final List<Component> components;
    private final JobRecords records;
    private final JobRunner jobs = new JobRunner();
    private final Metrics metrics = new Metrics();
    /** The progress of the job running here, for its record, the log and the metrics. */
    private final ProgressBoard board = new ProgressBoard();
    private final RetentionSweep sweep;
    private final BackupScheduler scheduler;
    /** Signs the disaster-recovery reports (ATHENA_SIGNING_KEY, or a generated key). */
    private final EvidenceSigner signer;
    /** Tells NOTIFY_WEBHOOK_URLS of jobs that failed (or succeeded, with NOTIFY_ON_SUCCESS). */
    private final Notifier notifier;
    /** The restore drills' records. */
    private final DrillRecords drillRecords;
    /** DRILL_FREQUENCY: when the next drill is due (it waits for a running job). */
    private final dev.athena.schedule.CatchUpTimer drillTimer;
    /** The periodic backup a due drill waits for, logged once. */
    private volatile Instant drillWaitsFor;
    /** Continuous verification (VERIFY_FREQUENCY), or null. */
    private final VerificationJob verification;
    /** VERIFY_FREQUENCY: when the next verification is due (it waits for a running job). */
    private final dev.athena.schedule.CatchUpTimer verificationTimer;
    /** The copy to the second location (COPY_TO), or null. */
    private final CopyJob copy;
    /** COPY_FREQUENCY: when the next copy is due (it waits for a running job). */
    private final dev.athena.schedule.CatchUpTimer copyTimer;
    private ScheduledExecutorService ticker;
    private Leadership leadership = Leadership.alone();
    private Runnable fence = () -> { };
    /**
     * False from the moment this replica is elected until it has recorded the jobs its predecessor
     * left Running (a single replica, which leads from the start, begins true).
     */
    private volatile boolean tookOver = true;
    /** The WAL archiver while this replica leads and POSTGRES_WAL_ARCHIVE is on. */
    private volatile dev.athena.component.postgres.pitr.WalArchiver walArchiver;

    public AthenaService(AthenaConfig config, ObjectStore store, Clock clock, List<Component> components) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.components = List.copyOf(components);
        this.records = new JobRecords(repository(), new BackupUrls(config.storage()), board);
        this.sweep = new RetentionSweep(records, this::repository, new RetentionPolicy(config.retentionDays(), config.retentionKeep()), clock,
                this.components).proven(this::provenBackups);
        this.scheduler = new BackupScheduler(config.frequency(), config.regularBackups(), clock,
                this::tryScheduledBackup, this::trySweep, Duration.ofHours(1));
        try {
            this.signer = EvidenceSigner.resolve(config.signingKey(), config.stateDir());
        } catch (IllegalArgumentException e) {
            throw new dev.athena.config.ConfigException(e.getMessage());
        }
        if (!config.notifications().webhooks().isEmpty()) {
            metrics.notificationsConfigured();
        }
        this.notifier = config.notifications().webhooks().isEmpty() ? Notifier.none()
                : new Notifier(config.notifications().webhooks(), config.notifications().onSuccess(), config.notifications().timeout(),
                Duration.ofSeconds(2), metrics);
        this.copy = config.copy().map(c -> new CopyJob(c, this::repository, config.namespace(), config.tuning().repositoryOptions(config.scratchDir()),
                clock, metrics, jobs::shouldYield, notifier)).orElse(null);
        this.drillRecords = new DrillRecords(repository());
        this.drillTimer = new dev.athena.schedule.CatchUpTimer(config.drills().frequency(), clock);
        this.verification = config.verification().map(v -> new VerificationJob(this::repository, records, v.frequency().toString(),
                v.readDataPercent(), clock, metrics, notifier, config.namespace(), jobs::shouldYield)).orElse(null);
        this.verificationTimer = new dev.athena.schedule.CatchUpTimer(config.verification().map(AthenaConfig.Verification::frequency), clock);
        if (config.regularBackups()) {
            config.frequency().next(clock.instant().atZone(java.time.ZoneOffset.UTC))
                    .flatMap(first -> config.frequency().next(first).map(second -> java.time.Duration.between(first, second).getSeconds()))
                    .ifPresent(metrics::scheduledInterval);
        }
        this.copyTimer = new dev.athena.schedule.CatchUpTimer(config.copy().flatMap(dev.athena.config.CopySettings::frequency), clock);
        if (copy != null) {
            metrics.copyConfigured();
        }
    }

    /**
     * Makes this one of several replicas (before {@link #start()}): only the leader runs the
     * schedule, the sweeps and jobs. {@code fence} is what the replica does when it loses the
     * lease while a job runs, since the new leader will record that job as Failed and may start
     * others: {@code serve} stops the process at once.
     */
    public AthenaService withLeadership(Leadership leadership, Runnable fence) {
        this.leadership = leadership;
        this.fence = fence;
        this.tookOver = false;
        return this;
    }

    /**
     * Starts the scheduler's clock and the election; on becoming leader (at once, for a single
     * replica) the service recovers from a crash and sweeps once.
     */
    public AthenaService start() {
        ticker = Executors.newSingleThreadScheduledExecutor(Parallel.daemons("athena-scheduler"));
        leadership.start(new Leadership.Listener() {
            @Override
            public void elected(dev.athena.repository.LeaderLease.Holder previous, Instant lastSeenAlive) {
                takeOver(previous, lastSeenAlive);
            }

            @Override
            public void lost(String reason) {
                stepDown(reason);
            }
        });
        ticker.scheduleAtFixedRate(() -> {
            try {
                if (leadership.isLeader()) {
                    if (!tookOver) {
                        completeTakeover();
                    }
                    if (tookOver) {
                        scheduler.tick();
                        // Catch-up work: a run due while a job runs starts once the slot is free, never skipped.
                        copyTimer.tick(() -> jobs.startSweep("copy to " + config.copy().get().to(), this::runCopy));
                        verificationTimer.tick(() -> jobs.startSweep("verification", this::runVerification));
                        drillTimer.tick(this::tryScheduledDrill);
                    }
                }
                board.logDue(System.nanoTime());
            } catch (RuntimeException e) {
                log.error("scheduler tick failed: {}", e.getMessage());
            }
        }, 1, 1, TimeUnit.SECONDS);
        log.info("Athena started: {}, components {}", config, components.stream().map(Component::name).toList());
        return this;
    }

    /** A leadership just won, whose predecessor's Running jobs are still to be recorded. */
    private record Takeover(dev.athena.repository.LeaderLease.Holder previous, Instant lastSeenAlive) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Takeover> pendingTakeover = new java.util.concurrent.atomic.AtomicReference<>();

    private void takeOver(dev.athena.repository.LeaderLease.Holder previous, Instant lastSeenAlive) {
        tookOver = false;
        pendingTakeover.set(new Takeover(previous, lastSeenAlive));
        completeTakeover();
    }

    /**
     * Records the jobs the predecessor left Running as Failed, then lets jobs start here. If the
     * store cannot be read now, the scheduler's clock tries again every second meanwhile.
     */
    private synchronized void completeTakeover() {
        Takeover t = pendingTakeover.get();
        if (t == null) {
            return;
        }
        try {
            recoverInterrupted(t.previous() == null ? "interrupted: Athena stopped while the %s ran"
                    : "interrupted: the leader " + t.previous().describe() + " stopped renewing its lease (last seen alive at "
                    + t.lastSeenAlive() + ") while the %s ran; another replica took over");
        } catch (RuntimeException e) {
            log.error("cannot yet record the jobs a previous Athena process left Running, trying again: {}", e.getMessage());
            return;
        }
        removeDrillLeftovers();
        // A point-in-time restore killed midway leaves its scratch PostgreSQL server running, and its copy of the base backup.
        config.postgres().ifPresent(pg -> dev.athena.component.postgres.pitr.ScratchServer.removeLeftovers(pg.scratch(), pg.binDir()));
        try {
            metrics.seed(records.list());
        } catch (RuntimeException e) {
            log.warn("cannot read the backups' records for the freshness metrics yet: {}", e.getMessage());
        }
        if (t.lastSeenAlive() != null) {
            // Backups due while no replica led are started now; the dead leader's own schedule ends where it was last seen.
            scheduler.resumeFrom(t.lastSeenAlive());
        }
        if (pendingTakeover.compareAndSet(t, null)) {
            // Only now may jobs start here: one started earlier would be among the Running records just marked Failed.
            tookOver = true;
            trySweep();
            startWalArchiving();
        }
    }

    /** POSTGRES_WAL_ARCHIVE: the leader streams the platform's WAL into the repository, with a slot of the namespace's. */
    private synchronized void startWalArchiving() {
        if (!config.physical().walArchive() || config.postgres().isEmpty() || walArchiver != null) {
            return;
        }
        walArchiver = new dev.athena.component.postgres.pitr.WalArchiver(config.postgres().get().address(),
                new dev.athena.component.postgres.pitr.WalArchive(repository()), dev.athena.component.postgres.pitr.WalArchiver.slotName(config.namespace()),
                config.physical().uploadInterval(), clock, Duration.ofSeconds(5)).start();
    }

    private synchronized void stopWalArchiving() {
        if (walArchiver != null) {
            walArchiver.close();
            walArchiver = null;
        }
    }

    /** GET /walstatus: where WAL archiving stands; empty without POSTGRES_WAL_ARCHIVE or on a replica that does not lead. */
    public java.util.Optional<dev.athena.component.postgres.pitr.WalArchiver.Status> walStatus() {
        dev.athena.component.postgres.pitr.WalArchiver a = walArchiver;
        return a == null ? java.util.Optional.empty() : java.util.Optional.of(a.status());
    }

    private void stepDown(String reason) {
        tookOver = false;
        pendingTakeover.set(null);
        stopWalArchiving();
        if (jobs.running().isPresent()) {
            log.error("{} is running on a replica that no longer leads ({}): stopping this process, so that it cannot act beside the new leader",
                    jobs.running().get(), reason);
            fence.run();
        } else {
            log.warn("this replica stops running the schedule and jobs ({}); it keeps answering the API and forwards jobs to the leader", reason);
        }
    }

    /**
     * What a drill's databases' names start with: athena_drill_, a hash of this namespace (another
     * Athena drilling on the same server is left alone), _; then a hash of the drill's id and _.
     */
    private String drillDatabasePrefix() {
        return "athena_drill_" + dev.athena.repository.BlobId.of(config.namespace().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex().substring(0, 6) + "_";
    }

    private static void deleteTree(java.nio.file.Path root) throws IOException {
        if (!java.nio.file.Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> all = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Starts a restore drill of {@code timestamp} (null: the newest successful, undamaged backup)
     * into scratch targets that never touch the platform, and returns its id. It restores every
     * component into a folder of its own under DRILL_SCRATCH_DIR and PostgreSQL's databases under
     * new names, runs the checks after a restore and DRILL_COMMAND, measures the time, and always
     * removes what it made. {@link BusyException} while another job runs.
     */
    public String startDrill(String timestamp) {
        checkLeader();
        BackupRecord backup;
        if (timestamp == null) {
            backup = records.list().stream().filter(b -> b.status() == JobStatus.Success && !Boolean.TRUE.equals(b.damaged()))
                    .max(java.util.Comparator.comparing(BackupRecord::timestamp))
                    .orElseThrow(() -> new NotFoundException("no successful backup to drill yet in namespace " + config.namespace()));
        } else {
            backup = records.find(timestamp).orElseThrow(() -> new NotFoundException("no backup " + timestamp + " in namespace " + config.namespace()));
            if (backup.status() != JobStatus.Success || Boolean.TRUE.equals(backup.damaged())) {
                throw new ConflictException("backup " + timestamp + " is " + backup.status() + "; only a successful backup can be drilled");
            }
        }
        Instant now = clock.instant();
        String id = Timestamps.of(now) + "-" + String.format("%03d", now.getNano() / 1_000_000);
        String prefix = drillDatabasePrefix() + dev.athena.repository.BlobId.of(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex().substring(0, 8) + "_";
        java.nio.file.Path scratch = config.drills().scratchDir().resolve(config.namespace()).resolve(id);
        List<Component> drilled = new java.util.ArrayList<>();
        Map<String, String> targets = new java.util.LinkedHashMap<>();
        for (Component c : components) {
            Component twin = c.forDrill(scratch, prefix);
            if (twin != null) {
                drilled.add(twin);
                targets.put(twin.name(), twin.destination());
            }
        }
        RestoreRequest request = new RestoreRequest(backup.timestamp(), config.namespace(), true, false, true, true, false, java.util.Set.of(),
                false, false);
        RestoreRecord running = RestoreRecord.running(backup.backupurl(), config.namespace(), backup.timestamp(), null, id, now.toString(), request,
                backup.platformVersion(), config.platformVersion()).withTargets(targets);
        SourceForRestore reading = new SourceForRestore(config.namespace(), location(request));
        RestoreJob job = new RestoreJob(reading, () -> CountingStore.countsOf(store), drillKind(id, scratch, prefix, targets.containsKey("postgres")), metrics, clock, drilled, config,
                running, notifier, signer);
        Runnable work = () -> {
            board.track(ProgressBoard.Kind.drill, id, job::meter);
            try (reading) {
                job.run();
            } finally {
                board.untrack(ProgressBoard.Kind.drill, id);
                cleanUpDrill(scratch, prefix);
            }
        };
        boolean started = jobs.startBackground(new JobRunner.Job("restore drill of " + backup.timestamp(), work, () -> drillRecords.save(
                running.failedByInterruption(clock.instant().toString(), "interrupted: Athena was stopped (SIGTERM) before the drill finished"))),
                () -> drillRecords.save(running));
        if (!started) {
            throw new BusyException(jobs.running().orElse("another job"));
        }
        return id;
    }

    /**
     * How a drill differs from a restore: its records, its report's address, nothing around the data
     * but DRILL_COMMAND, and what that command is told of where the data went.
     */
    private RestoreJob.Kind drillKind(String id, java.nio.file.Path scratch, String prefix, boolean database) {
        dev.athena.restore.RecoverySettings settings = new dev.athena.restore.RecoverySettings(List.of(), Duration.ofMinutes(5), java.util.Optional.empty(),
                Duration.ofMinutes(30), config.drills().command(), config.drills().commandTimeout(), java.util.Optional.empty(),
                config.recovery().rtoTarget(), config.recovery().rpoTarget());
        // No upgrade, no health checks of the platform (it is not what is restored), the checks after the restore.
        dev.athena.restore.DisasterRecovery.Options options = new dev.athena.restore.DisasterRecovery.Options(false, false, false, false, true, false,
                java.util.Set.of(), false, Map.of());
        Map<String, String> environment = new java.util.HashMap<>(Map.of("ATHENA_NAMESPACE", config.namespace(), "ATHENA_DRILL_ID", id,
                "ATHENA_DRILL_DIR", scratch.toString(), "ATHENA_DRILL_DATABASE_PREFIX", prefix));
        String made = "removed its scratch folder " + scratch;
        java.util.Optional<dev.athena.component.postgres.PostgresSettings> server = drillServer();
        if (database && server.isPresent()) {
            environment.put("ATHENA_DRILL_POSTGRES_HOST", server.get().host());
            environment.put("ATHENA_DRILL_POSTGRES_PORT", String.valueOf(server.get().port()));
            made += " and its databases " + prefix + "*";
        } else if (database) {
            String instance = dev.athena.component.rds.RdsComponent.drillInstanceId(prefix);
            environment.put("ATHENA_DRILL_RDS_INSTANCE", instance);
            made += "; RDS is deleting its instance " + instance + " (without a final snapshot)";
        }
        String cleaned = made;
        return new RestoreJob.Kind("drill", drillRecords, r -> "/athena/api/v1/drillreport?drillId=" + r.restoreId(), request -> options, settings,
                environment, () -> {
            List<String> problems = cleanUpDrill(scratch, prefix);
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            return cleaned;
        });
    }

    /** The PostgreSQL server a drill loads its databases into, if the platform has one (not RDS). */
    private java.util.Optional<dev.athena.component.postgres.PostgresSettings> drillServer() {
        return config.rds().isPresent() ? java.util.Optional.empty() : config.drills().postgres().or(config::postgres);
    }

    /** Removes a drill's scratch folder and databases; returns (and logs) what it could not remove, never throws. */
    private List<String> cleanUpDrill(java.nio.file.Path scratch, String prefix) {
        List<String> problems = new java.util.ArrayList<>();
        try {
            deleteTree(scratch);
        } catch (IOException | RuntimeException e) {
            problems.add("cannot remove the scratch folder " + scratch + ": " + e.getMessage());
        }
        for (Component c : components) {
            try {
                c.removeDrillLeftovers(prefix);
            } catch (Exception e) {
                problems.add("cannot remove what the drill left in " + c.name() + ": " + e.getMessage());
            }
            // What earlier drills of this namespace could not remove (an RDS instance still being made when it was killed):
            // tried again, without failing this drill over it.
            try {
                c.removeDrillLeftovers(drillDatabasePrefix());
            } catch (Exception e) {
                log.warn("drill: cannot yet remove what earlier drills left in {}: {}", c.name(), e.getMessage());
            }
        }
        problems.forEach(p -> log.error("drill: {}", p));
        return problems;
    }

    /** At start: what drills a killed process left (scratch folders, databases) goes, and their records read Failed. */
    private void removeDrillLeftovers() {
        // A drill records itself Running before it makes anything: none such, and no scratch folder, means nothing to remove,
        // and the start-up makes no database connection.
        boolean stopped = true;
        List<RestoreRecord> interrupted = List.of();
        try {
            interrupted = drillRecords.list().stream().filter(r -> r.status() == JobStatus.Running).toList();
            stopped = !interrupted.isEmpty();
        } catch (RuntimeException e) {
            log.error("drill: cannot read the drills' records: {}", e.getMessage());
        }
        java.nio.file.Path root = config.drills().scratchDir().resolve(config.namespace());
        if (java.nio.file.Files.isDirectory(root)) {
            try (java.util.stream.Stream<java.nio.file.Path> left = java.nio.file.Files.list(root)) {
                for (java.nio.file.Path p : left.toList()) {
                    stopped = true;
                    log.warn("drill: removing the scratch folder {} a stopped drill left", p);
                    try {
                        deleteTree(p);
                    } catch (IOException | RuntimeException e) {
                        log.error("drill: cannot remove {}: {}", p, e.getMessage());
                    }
                }
            } catch (IOException e) {
                log.error("drill: cannot list {}: {}", root, e.getMessage());
            }
        }
        if (stopped) {
            for (Component c : components) {
                try {
                    c.removeDrillLeftovers(drillDatabasePrefix());
                } catch (Exception e) {
                    log.error("drill: cannot remove what stopped drills left in {}: {}", c.name(), e.getMessage());
                }
            }
        }
        for (RestoreRecord r : interrupted) {
            drillRecords.save(r.failedByInterruption(clock.instant().toString(), "interrupted: Athena stopped while the drill ran;"
                    + " what it had made was removed when Athena started again"));
        }
    }

    /** GET /drillstatus and /drilllist. */
    public java.util.Optional<RestoreRecord> drill(String drillId) {
        return drillRecords.find(drillId);
    }

    public List<RestoreRecord> drills() {
        return drillRecords.list();
    }

    /** A drill's report, as the restore's is made. */
    public RecoveryReport drillReport(RestoreRecord drill) {
        return new RecoveryReport(drill, config.recovery().rtoTarget(), config.recovery().rpoTarget(), signer);
    }

    private void runVerification() {
        board.track(ProgressBoard.Kind.verification, "of the repository", verification::meter);
        try {
            verification.run();
        } finally {
            board.untrack(ProgressBoard.Kind.verification, "of the repository");
        }
    }

    /** GET /verifystatus: continuous verification's cycle and last run; empty without VERIFY_FREQUENCY. */
    public java.util.Optional<Object> verificationStatus() {
        return java.util.Optional.ofNullable(verification).map(VerificationJob::status);
    }

    /**
     * A scheduled drill of the newest good backup: false (try again at the next tick) while a job
     * runs, or while it would still run when the next periodic backup falls due (it then starts
     * after that backup; see DrillWindow).
     */
    private boolean tryScheduledDrill() {
        if (jobs.running().isPresent()) {
            // Due while a job runs: the next tick tries again, without listing the drills' records each second.
            return false;
        }
        Instant nextBackup = scheduler.nextBackup();
        java.util.Optional<RestoreRecord> last = drillRecords.list().stream().filter(r -> r.status() == JobStatus.Success && r.durationMs() != null)
                .findFirst();
        Duration expected = last.map(r -> Duration.ofMillis(r.durationMs())).orElse(null);
        if (new dev.athena.schedule.DrillWindow(config.frequency()).waitForBackup(clock.instant(), expected, nextBackup)) {
            if (!nextBackup.equals(drillWaitsFor)) {
                drillWaitsFor = nextBackup;
                log.info("scheduled restore drill starts after the periodic backup due at {}: the last drill took {}, and would have held it up",
                        nextBackup, dev.athena.concurrent.Sizes.duration(expected.toMillis()));
            }
            return false;
        }
        try {
            startDrill(null);
        } catch (BusyException e) {
            return false;
        } catch (RuntimeException e) {
            log.error("scheduled restore drill could not start: {}", e.getMessage());
        }
        return true;
    }

    private void runCopy() {
        String id = "to " + config.copy().get().to();
        board.track(ProgressBoard.Kind.copy, id, copy::meter);
        try {
            copy.run();
        } finally {
            board.untrack(ProgressBoard.Kind.copy, id);
        }
    }

    /**
     * After a backup's end is recorded: the retention sweep, then (without COPY_FREQUENCY) the copy
     * to the second location. With the sweep's hourly run too, so a copy that failed or let a job go
     * first is taken up again within the hour.
     */
    private void afterBackup() {
        sweepQuietly();
        if (copy != null && config.copy().get().frequency().isEmpty() && !jobs.stopping()) {
            runCopy();
        }
    }

    private void maintenance() {
        sweepQuietly();
        if (copy != null && config.copy().get().frequency().isEmpty() && !"Success".equals(copy.status().lastResult()) && !jobs.stopping()) {
            runCopy();
        }
    }

    public Leadership leadership() {
        return leadership;
    }

    private Repository repository() {
        return Repository.open(store, config.namespace(), config.encryptionKey(), true, config.tuning().repositoryOptions(config.scratchDir()));
    }

    public JobRecords records() {
        return records;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The schedule and retention in force, and where backups go. */
    public Schedule schedule() {
        java.time.Instant next = scheduler.nextBackup();
        return new Schedule(config.namespace(), config.regularBackups(), config.frequency().toString(), next == null ? null : next.toString(),
                config.retentionDays(), config.retentionKeep(), config.storage().toString(), components.stream().map(Component::name).toList(), config.platformVersion(),
                leadership.isLeader(), copy == null ? null : copy.status());
    }

    /**
     * Backups proven restorable: each one a successful drill restored, and each one older than the
     * start of the last complete verification cycle (which read back all its data) and not damaged.
     */
    java.util.Set<String> provenBackups() {
        java.util.Set<String> out = new java.util.HashSet<>();
        try {
            drillRecords.list().stream().filter(d -> d.status() == JobStatus.Success).forEach(d -> out.add(d.timestamp()));
        } catch (RuntimeException e) {
            log.warn("cannot read the drills' records for retention: {}", e.getMessage());
        }
        if (verification != null) {
            dev.athena.maintenance.RollingVerification.State state = verification.status().cycle();
            if (state != null && state.lastCycleStartedAt() != null) {
                Instant cycle = Instant.parse(state.lastCycleStartedAt());
                records.list().stream().filter(b -> b.status() == JobStatus.Success && !Boolean.TRUE.equals(b.damaged())
                        && b.finishedAt() != null && Instant.parse(b.finishedAt()).isBefore(cycle)).forEach(b -> out.add(b.timestamp()));
            }
        }
        return out;
    }

    /** What the retention in force keeps of this namespace's backups and why, newest first (GET /retentionplan); deletes nothing. */
    public RetentionPlan retentionPlan() {
        RetentionPolicy policy = new RetentionPolicy(config.retentionDays(), config.retentionKeep());
        List<BackupRecord> backups = records.list();
        Map<String, BackupRecord> byTimestamp = new java.util.HashMap<>();
        backups.forEach(b -> byTimestamp.put(b.timestamp(), b));
        java.util.Set<String> proven = provenBackups();
        List<RetentionPlan.Entry> entries = policy.plan(backups.stream()
                .map(b -> new RetentionPolicy.Kept(b.timestamp(), b.status().finished(), b.status() == JobStatus.Success && !Boolean.TRUE.equals(b.damaged()),
                        proven.contains(b.timestamp()))).toList(), clock.instant())
                .stream().map(d -> new RetentionPlan.Entry(d.timestamp(), byTimestamp.get(d.timestamp()).status(), d.keep(), d.reasons())).toList();
        return new RetentionPlan(policy.rules(), entries);
    }

    /** The metrics as GET /metrics shows them now, the running job's progress included. */
    public String renderMetrics() {
        Map<String, dev.athena.concurrent.ProgressMeter.Snapshot> progress = new java.util.HashMap<>();
        board.current().forEach((kind, snapshot) -> progress.put(kind.name(), snapshot));
        Map<String, Long> elapsed = new java.util.HashMap<>();
        board.elapsedSeconds(System.nanoTime()).forEach((kind, seconds) -> elapsed.put(kind.name(), seconds));
        walStatus().ifPresent(metrics::walArchive);
        return metrics.render(jobs.running().isPresent(), leadership.isLeader(), progress, elapsed);
    }

    /** GET /evidence: the period's backups, restores, verification, RPO achieved and failures, signed; {@code format} html or json. */
    public Object evidence(Instant from, Instant to, String format) {
        dev.athena.maintenance.RollingVerification.State state = verification == null ? null : verification.status().cycle();
        EvidenceReport report = new EvidenceReport(config.namespace(), from, to, records.list(), records.allRestores(), drillRecords.list(), state,
                signer, clock.instant());
        return format.equals("json") ? report.json() : report.html();
    }

    /** The service's clock: what "now" and "today" mean to its answers (injected in tests). */
    public Instant now() {
        return clock.instant();
    }

    /** The key that signs the reports. */
    public EvidenceSigner signer() {
        return signer;
    }

    public JobRunner jobs() {
        return jobs;
    }

    public AthenaConfig config() {
        return config;
    }

    /**
     * A job found Running when this process starts leading was left by a crash (or by the leader
     * before it): it becomes Failed, with {@code reason} (a format with one %s for the job's kind).
     */
    void recoverInterrupted(String reason) {
        for (BackupRecord r : records.list()) {
            if (r.status() == JobStatus.Running) {
                records.save(r.finish(JobStatus.Failed, clock.instant().toString(), 0, null, null, null, null, String.format(reason, "backup")));
                notifier.notify(new Notifier.Event("backup", "Failed", config.namespace(), r.timestamp(), null, String.format(reason, "backup"), null,
                        "/athena/api/v1/backupstatus?timestamp=" + r.timestamp()));
                log.warn("backup {} was left Running by a previous Athena process: recorded as Failed (interrupted)", r.timestamp());
            }
        }
        for (RestoreRecord r : records.allRestores()) {
            if (r.status() == JobStatus.Running) {
                records.save(r.failedByInterruption(clock.instant().toString(), String.format(reason, "restore")));
                notifier.notify(new Notifier.Event("restore", "Failed", config.namespace(), r.timestamp(), r.restoreId(), String.format(reason, "restore"),
                        null, "/athena/api/v1/restorestatus?timestamp=" + r.timestamp() + "&restoreId=" + r.restoreId()));
                log.warn("restore {} was left Running by a previous Athena process: recorded as Failed (interrupted)", r.restoreId());
            }
        }
    }

    /** Starts a backup in the background and returns its timestamp; {@link BusyException} when a job runs. */
    public String startBackup(boolean onlyConfig) {
        checkLeader();
        List<Component> selected = components.stream().filter(c -> !onlyConfig || c.isConfig()).toList();
        if (selected.isEmpty()) {
            throw new ConflictException(onlyConfig
                    ? "onlyConfig: no configuration component is configured (set CONFIGMAP_PATH or CONFIGMAP_NAME)"
                    : "no component is configured: set POSTGRES_HOST, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH or CONFIGMAP_PATH");
        }
        PendingBackup backup = new PendingBackup(onlyConfig, selected);
        if (!jobs.start(new JobRunner.Job("backup", backup::run, backup::interrupted), backup::prepare)) {
            throw new BusyException(jobs.running().orElse("another job"));
        }
        return backup.timestamp;
    }

    /** A backup from the moment it holds the job slot: {@link #prepare} names it and records it Running, then it runs. */
    private final class PendingBackup {
        private final boolean onlyConfig;
        private final List<Component> selected;
        private String timestamp;
        private BackupRecord running;

        PendingBackup(boolean onlyConfig, List<Component> selected) {
            this.onlyConfig = onlyConfig;
            this.selected = selected;
        }

        void prepare() {
            timestamp = freshTimestamp();
            running = new BackupRecord(records.url(config.namespace(), timestamp), config.namespace(), JobStatus.Running, timestamp, onlyConfig,
                    clock.instant().toString(), null, null, selected.stream().map(Component::name).toList(), null, null, null, null,
                    config.platformVersion(), null, null, null);
            records.save(running);
        }

        void run() {
            BackupJob job = new BackupJob(AthenaService.this::repository, () -> CountingStore.countsOf(store), records, metrics, clock, selected,
                    running, jobs::yieldToNext, AthenaService.this::afterBackup, config.tuning().componentThreads(), notifier);
            board.track(ProgressBoard.Kind.backup, timestamp, job::meter);
            try {
                job.run();
            } finally {
                board.untrack(ProgressBoard.Kind.backup, timestamp);
            }
        }

        void interrupted() {
            String why = "interrupted: Athena was stopped (SIGTERM) before the backup finished";
            records.saveInterrupted(running.finish(JobStatus.Failed, clock.instant().toString(), 0, null, null, null, null, why));
            notifier.notify(new Notifier.Event("backup", "Failed", config.namespace(), timestamp, null, why, null,
                    "/athena/api/v1/backupstatus?timestamp=" + timestamp));
        }
    }

    /**
     * The backup's name, claimed in the store: two requests within one second, here or in another
     * process on the same location and namespace, would share it; the later one takes the next free second.
     */
    private String freshTimestamp() {
        return BackupNames.claimFrom(repository(), clock.instant());
    }

    /** Starts a restore in the background; {@link NotFoundException} or {@link BusyException} before anything starts. */
    /**
     * A point-in-time restore's backup: the one asked for, which must be at or before the target, or
     * the newest successful one at or before it. The target may not lie ahead of now.
     */
    private String backupBefore(JobRecords sourceRecords, String sourceNs, RestoreRequest request) {
        Instant target = request.targetInstant().equals(Component.LATEST) ? clock.instant() : request.targetInstant();
        if (target.isAfter(clock.instant())) {
            throw new BadRequestException("targetTime " + target + " is in the future (it is " + clock.instant() + " here): choose a past moment");
        }
        if (request.timestamp() != null) {
            if (Timestamps.parse(request.timestamp()).isAfter(target)) {
                throw new BadRequestException("backup " + request.timestamp() + " was taken after targetTime " + target
                        + ": leave out the timestamp and Athena takes the newest backup before it");
            }
            return request.timestamp();
        }
        return sourceRecords.list().stream()
                .filter(b -> b.status() == JobStatus.Success && !Boolean.TRUE.equals(b.damaged()) && !Timestamps.parse(b.timestamp()).isAfter(target))
                .max(java.util.Comparator.comparing(BackupRecord::timestamp)).map(BackupRecord::timestamp)
                .orElseThrow(() -> new NotFoundException("no successful backup of namespace " + sourceNs + " was taken at or before " + target
                        + ", so nothing can be recovered to that moment"));
    }

    /** Starts a restore; returns the backup it restores (with a target time and no timestamp, the one Athena chose). */
    public String startRestore(RestoreRequest request) {
        checkLeader();
        String sourceNs = request.sourceNamespace();
        Location from = location(request);
        Supplier<Repository> source = () -> Repository.open(from.store(), sourceNs, from.encryptionKey(), false,
                config.tuning().repositoryOptions(config.scratchDir()));
        if (!Repository.exists(from.store(), sourceNs)) {
            throw new NotFoundException("no backups of namespace '" + sourceNs + "' in " + from.storage()
                    + (request.fromSecondary() ? " (the second location; athena copy or COPY_TO puts them there)" : ""));
        }
        JobRecords sourceRecords = sourceNs.equals(config.namespace()) && !request.fromSecondary() ? records
                : new JobRecords(source.get(), new BackupUrls(from.storage()));
        RestoreRequest chosen = request.targetTime() == null ? request
                : request.atMoment(backupBefore(sourceRecords, sourceNs, request), request.targetTime());
        startRestore(chosen, from, source, sourceRecords);
        return chosen.timestamp();
    }

    private void startRestore(RestoreRequest request, Location from, Supplier<Repository> source, JobRecords sourceRecords) {
        String sourceNs = request.sourceNamespace();
        BackupRecord backup = sourceRecords.find(request.timestamp())
                .orElseThrow(() -> new NotFoundException("no backup " + request.timestamp() + " in namespace " + sourceNs
                        + (request.fromSecondary() ? " at the second location " + from.storage() : "")));
        if (backup.status() != JobStatus.Success || Boolean.TRUE.equals(backup.damaged())) {
            throw new ConflictException("backup " + request.timestamp() + " of namespace " + sourceNs + " is " + backup.status()
                    + (Boolean.TRUE.equals(backup.damaged()) ? " (" + backup.error() + ")" : "") + "; only a successful backup can be restored");
        }
        Instant now = clock.instant();
        String id = Timestamps.of(now) + "-" + String.format("%03d", now.getNano() / 1_000_000);
        // A copy's status record still names the first location: the record names where the backup is read.
        String backupUrl = sourceRecords.url(sourceNs, request.timestamp());
        RestoreRecord running = RestoreRecord.running(backupUrl, sourceNs, request.timestamp(), config.namespace(), id,
                now.toString(), request, backup.platformVersion(), config.platformVersion());
        // The job reads the backup through a RestoreSource (one download per pack from S3), closed when it ends.
        SourceForRestore reading = new SourceForRestore(sourceNs, from);
        RestoreJob job = new RestoreJob(reading, () -> CountingStore.countsOf(from.store()), RestoreJob.restore(records, config), metrics, clock,
                components, config, running, notifier, signer);
        Runnable work = () -> {
            board.track(ProgressBoard.Kind.restore, id, job::meter);
            try (reading) {
                job.run();
            } finally {
                board.untrack(ProgressBoard.Kind.restore, id);
            }
        };
        boolean started = jobs.start(new JobRunner.Job("restore of " + request.timestamp(), work, () -> records.saveInterrupted(
                running.failedByInterruption(clock.instant().toString(), "interrupted: Athena was stopped (SIGTERM) before the restore finished"))),
                () -> records.save(running));
        if (!started) {
            throw new BusyException(jobs.running().orElse("another job"));
        }
    }

    /** Where a restore reads: the backup location, or the second location with its own key. */
    private record Location(dev.athena.config.StorageConfig storage, ObjectStore store, String encryptionKey) {
    }

    private Location location(RestoreRequest request) {
        if (!request.fromSecondary()) {
            return new Location(config.storage(), store, config.encryptionKey());
        }
        dev.athena.config.CopySettings c = config.copy()
                .orElseThrow(() -> new ConflictException("location 'secondary': no second location is configured; set COPY_TO"));
        return new Location(c.storage(), c.storage().open(), c.encryptionKey());
    }

    /** The repository a restore reads, opened when the job first asks for it, through a download cache when remote. */
    private final class SourceForRestore implements Supplier<Repository>, AutoCloseable {
        private final String namespace;
        private final Location from;
        private RestoreSource opened;

        SourceForRestore(String namespace, Location from) {
            this.namespace = namespace;
            this.from = from;
        }

        @Override
        public Repository get() {
            try {
                opened = RestoreSource.open(from.store(), from.storage().remote(), namespace, from.encryptionKey(), config.scratchDir(),
                        config.tuning().repositoryOptions(config.scratchDir()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the scratch folder " + config.scratchDir() + ": " + e.getMessage(), e);
            }
            return opened.repository();
        }

        @Override
        public void close() {
            if (opened != null) {
                opened.close();
            }
        }
    }

    /** Jobs run on the leader only; the API forwards them there, and this guards the moment leadership moves. */
    private void checkLeader() {
        if (!leadership.isLeader()) {
            throw new NotLeaderException(leadership.leaderUrl());
        }
        if (!tookOver) {
            throw new NotLeaderException("this replica has just become the leader and is recording the jobs its predecessor left running;"
                    + " try again in a few seconds");
        }
    }

    private boolean tryScheduledBackup() {
        try {
            startBackup(false);
            return true;
        } catch (BusyException e) {
            metrics.runSkipped();
            return false;
        } catch (RuntimeException e) {
            log.error("periodic backup could not start: {}", e.getMessage());
            return true;
        }
    }

    private boolean trySweep() {
        return jobs.startSweep("retention sweep", this::maintenance);
    }

    private void sweepQuietly() {
        try {
            sweep.run();
        } catch (RuntimeException e) {
            log.warn("retention sweep failed, will try again within the hour: {}", e.getMessage());
        }
    }

    /** Stops the scheduler and lets a running job finish within the grace period. */
    public void stop(Duration grace) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        jobs.shutdown(grace);
        stopWalArchiving();
        notifier.close();
        // Only now, with no job left running here, may another replica take over.
        leadership.release();
        leadership.close();
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
