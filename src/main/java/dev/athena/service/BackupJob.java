package dev.athena.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.athena.backup.BackupCommand;
import dev.athena.component.Component;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.storage.CountingStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One backup as the service runs it: the engine's backup, then its record and metrics. */
final class BackupJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BackupJob.class);
    private final Supplier<Repository> repositories;
    private final JobRecords records;
    private final Metrics metrics;
    private final Clock clock;
    private final List<Component> components;
    private final BackupRecord running;
    private final Runnable ending;
    private final Runnable afterwards;
    private final int componentThreads;
    private final Supplier<CountingStore.Requests> requestCounts;
    private final Notifier notifier;
    /** The repository this run writes, once opened: its meter is the job's progress. */
    private volatile Repository repository;

    BackupJob(Supplier<Repository> repositories, Supplier<CountingStore.Requests> requestCounts, JobRecords records, Metrics metrics, Clock clock,
              List<Component> components, BackupRecord running, Runnable ending, Runnable afterwards, int componentThreads, Notifier notifier) {
        this.notifier = notifier;
        this.repositories = repositories;
        this.requestCounts = requestCounts;
        this.records = records;
        this.metrics = metrics;
        this.clock = clock;
        this.components = components;
        this.running = running;
        this.ending = ending;
        this.afterwards = afterwards;
        this.componentThreads = componentThreads;
    }

    @Override
    public void run() {
        Instant start = clock.instant();
        String ts = running.timestamp();
        log.info("backup {} started: components {}{}", ts, components.stream().map(Component::name).toList(),
                Boolean.TRUE.equals(running.onlyConfig()) ? " (onlyConfig)" : "");
        // The store's requests while this job ran (one job runs at a time; the API's reads of records meanwhile count too).
        CountingStore.Requests before = requestCounts.get();
        try {
            // A fresh view of the repository: another process may have pruned it since the last job.
            Repository repository = repositories.get();
            this.repository = repository;
            BackupCommand command = new BackupCommand(repository).claimedTimestamp(ts).platformVersion(running.platformVersion()).clock(clock)
                    .componentThreads(componentThreads);
            components.forEach(command::component);
            Manifest m;
            try {
                m = command.call();
            } finally {
                // Its workers and their buffers go now, not when they have idled 30 s: backups every few seconds piled them up.
                repository.close();
            }
            long bytes = 0;
            Map<String, Map<String, Long>> stats = new LinkedHashMap<>();
            for (var e : m.components().entrySet()) {
                bytes += e.getValue().stats().getOrDefault("bytes", 0L);
                stats.put(e.getKey(), e.getValue().stats());
            }
            long duration = java.time.Duration.between(start, clock.instant()).toMillis();
            CountingStore.Requests requests = requestCounts.get().minus(before);
            // Before the end is recorded: a client that reads it may ask for the next job at once, while the sweep still runs.
            ending.run();
            records.save(running.finish(JobStatus.Success, clock.instant().toString(), duration, List.copyOf(m.components().keySet()),
                    bytes, repository.storedBytes(), limit(m.warnings()), null).captured(m.windows()).withRequests(requests));
            metrics.backupSucceeded(clock.instant().getEpochSecond(), duration, stats);
            notifier.notify(new Notifier.Event("backup", "Success", running.namespace(), ts, null, null, duration, link(ts)));
            log.info("backup {} Success: {} bytes in {} components, {} new bytes stored, {} warnings, {} ms; {}",
                    ts, bytes, m.components().size(), repository.storedBytes(), m.warnings().size(), duration, requests);
        } catch (RuntimeException e) {
            if (JobRunner.stoppedByShutdown(e)) {
                // The shutdown has recorded this backup as interrupted; no sweep runs while the service stops.
                log.warn("backup {} stopped: Athena is shutting down", ts);
                return;
            }
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            long duration = java.time.Duration.between(start, clock.instant()).toMillis();
            BackupRecord failed = running.finish(JobStatus.Failed, clock.instant().toString(), duration, null, null, null, null, error);
            ending.run();
            records.save(failed.withRequests(requestCounts.get().minus(before)));
            metrics.backupFailed();
            notifier.notify(new Notifier.Event("backup", "Failed", running.namespace(), ts, null, error, duration, link(ts)));
            log.error("backup {} Failed after {} ms: {}", ts, duration, error);
        }
        afterwards.run();
    }

    private static String link(String ts) {
        return "/athena/api/v1/backupstatus?timestamp=" + ts;
    }

    /** How far this backup has got; null before it has opened its repository. */
    dev.athena.concurrent.ProgressMeter meter() {
        Repository r = repository;
        return r == null ? null : r.progress();
    }

    private static List<String> limit(List<String> warnings) {
        return warnings.size() <= 100 ? warnings : new ArrayList<>(warnings.subList(0, 100));
    }
}
