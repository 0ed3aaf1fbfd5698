package dev.athena.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    private final BackupCatalog catalog;
    private final JobRunner jobs = new JobRunner();
    private final Metrics metrics = new Metrics();
    private final RetentionSweep sweep;
    private final BackupScheduler scheduler;
    private ScheduledExecutorService ticker;

    public AthenaService(AthenaConfig config, ObjectStore store, Clock clock, List<Component> components) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.components = List.copyOf(components);
        this.catalog = new BackupCatalog(repository(), new BackupUrls(config.storage()));
        this.sweep = new RetentionSweep(catalog, this::repository, new RetentionPolicy(config.retentionDays()), clock, this.components);
        this.scheduler = new BackupScheduler(config.frequency(), config.regularBackups(), clock,
                this::tryScheduledBackup, this::trySweep, Duration.ofHours(1));
    }

    /** Recovers from a crash, sweeps once, and starts the scheduler's clock. */
    public AthenaService start() {
        recoverInterrupted();
        trySweep();
        ticker = Executors.newSingleThreadScheduledExecutor(Parallel.daemons("athena-scheduler"));
        ticker.scheduleAtFixedRate(() -> {
            try {
                scheduler.tick();
            } catch (RuntimeException e) {
                log.error("scheduler tick failed: {}", e.getMessage());
            }
        }, 1, 1, TimeUnit.SECONDS);
        log.info("Athena started: {}, components {}", config, components.stream().map(Component::name).toList());
        return this;
    }

    private Repository repository() {
        return Repository.open(store, config.namespace(), config.encryptionKey(), true);
    }

    public BackupCatalog catalog() {
        return catalog;
    }

    public Metrics metrics() {
        return metrics;
    }

    public JobRunner jobs() {
        return jobs;
    }

    public AthenaConfig config() {
        return config;
    }

    /** A job found Running at start-up was left by a crash: it becomes Failed, "interrupted". */
    void recoverInterrupted() {
        for (BackupRecord r : catalog.list()) {
            if (r.status() == Status.Running) {
                catalog.save(r.finish(Status.Failed, clock.instant().toString(), 0, null, null, null, null,
                        "interrupted: Athena stopped while the backup ran"));
                log.warn("backup {} was left Running by a previous Athena process: recorded as Failed (interrupted)", r.timestamp());
            }
        }
        for (RestoreRecord r : catalog.allRestores()) {
            if (r.status() == Status.Running) {
                catalog.save(r.failedByInterruption(clock.instant().toString(), "interrupted: Athena stopped while the restore ran"));
                log.warn("restore {} was left Running by a previous Athena process: recorded as Failed (interrupted)", r.restoreId());
            }
        }
    }

    /** Starts a backup in the background and returns its timestamp; {@link BusyException} when a job runs. */
    public String startBackup(boolean onlyConfig) {
        List<Component> selected = components.stream().filter(c -> !onlyConfig || c.isConfig()).toList();
        if (selected.isEmpty()) {
            throw new IllegalStateException(onlyConfig
                    ? "onlyConfig: no configuration component is configured (set CONFIGMAP_PATH or CONFIGMAP_NAME)"
                    : "no component is configured: set POSTGRES_HOST, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH or CONFIGMAP_PATH");
        }
        String[] ts = new String[1];
        BackupRecord[] running = new BackupRecord[1];
        boolean started = jobs.start(new JobRunner.Job("backup", () -> new BackupJob(this::repository, catalog, metrics, clock, selected,
                running[0], this::sweepQuietly).run(), () -> catalog.save(running[0].finish(Status.Failed, clock.instant().toString(), 0,
                null, null, null, null, "interrupted: Athena was stopped (SIGTERM) before the backup finished"))), () -> {
            ts[0] = freshTimestamp();
            running[0] = new BackupRecord(catalog.url(config.namespace(), ts[0]), config.namespace(), Status.Running, ts[0], onlyConfig,
                    clock.instant().toString(), null, null, selected.stream().map(Component::name).toList(), null, null, null, null,
                    config.platformVersion(), null, null);
            catalog.save(running[0]);
        });
        if (!started) {
            throw new BusyException(jobs.running().orElse("another job"));
        }
        return ts[0];
    }

    /**
     * The backup's name, claimed in the store: two requests within one second, here or in another
     * process on the same location and namespace, would share it; the later one takes the next free second.
     */
    private String freshTimestamp() {
        return BackupNames.claimFrom(repository(), clock.instant());
    }

    /** Starts a restore in the background; {@link NotFoundException} or {@link BusyException} before anything starts. */
    public void startRestore(RestoreRequest request) {
        String sourceNs = request.sourceNamespace();
        Supplier<Repository> source = () -> Repository.open(store, sourceNs, config.encryptionKey(), false);
        if (!Repository.exists(store, sourceNs)) {
            throw new NotFoundException("no backups of namespace '" + sourceNs + "' in " + config.storage());
        }
        BackupCatalog sourceCatalog = sourceNs.equals(config.namespace()) ? catalog
                : new BackupCatalog(source.get(), new BackupUrls(config.storage()));
        BackupRecord backup = sourceCatalog.find(request.timestamp())
                .orElseThrow(() -> new NotFoundException("no backup " + request.timestamp() + " in namespace " + sourceNs));
        if (backup.status() != Status.Success) {
            throw new IllegalStateException("backup " + request.timestamp() + " of namespace " + sourceNs + " is " + backup.status()
                    + (Boolean.TRUE.equals(backup.damaged()) ? " (" + backup.error() + ")" : "") + "; only a successful backup can be restored");
        }
        Instant now = clock.instant();
        String id = Timestamps.of(now) + "-" + String.format("%03d", now.getNano() / 1_000_000);
        RestoreRecord running = RestoreRecord.running(backup.backupurl(), sourceNs, request.timestamp(), config.namespace(), id,
                now.toString(), request, backup.platformVersion(), config.platformVersion());
        // The job reads the backup through a RestoreSource (one download per pack from S3), closed when it ends.
        RestoreSource[] reading = new RestoreSource[1];
        Supplier<Repository> restoreSource = () -> {
            try {
                reading[0] = RestoreSource.open(store, config.storage().remote(), sourceNs, config.encryptionKey(), config.scratchDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the scratch folder " + config.scratchDir() + ": " + e.getMessage(), e);
            }
            return reading[0].repository();
        };
        RestoreJob job = new RestoreJob(restoreSource, catalog, metrics, clock, components, config, running);
        Runnable work = () -> {
            try {
                job.run();
            } finally {
                if (reading[0] != null) {
                    reading[0].close();
                }
            }
        };
        boolean started = jobs.start(new JobRunner.Job("restore of " + request.timestamp(), work, () -> catalog.save(
                running.failedByInterruption(clock.instant().toString(), "interrupted: Athena was stopped (SIGTERM) before the restore finished"))),
                () -> catalog.save(running));
        if (!started) {
            throw new BusyException(jobs.running().orElse("another job"));
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
        return jobs.start(new JobRunner.Job("retention sweep", this::sweepQuietly, () -> { }), () -> { });
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
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }
}
