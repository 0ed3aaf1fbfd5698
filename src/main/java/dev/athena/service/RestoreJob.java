package dev.athena.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore as the service runs it, phase by phase, each recorded with its start, end and
 * outcome. Every selected component's checks (its data verified, its destination writable) pass
 * before the first component is written.
 */
final class RestoreJob implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RestoreJob.class);
    static final List<String> PHASES = List.of("validate", "pre-restore checks", "upgrade", "restore", "post-restore checks", "report");

    private final Supplier<Repository> source;
    private final BackupCatalog catalog;
    private final Metrics metrics;
    private final Clock clock;
    private final List<Component> components;
    private RestoreRecord record;
    private final List<RestoreRecord.Phase> phases = new ArrayList<>();
    private final Map<String, RestoreRecord.ComponentOutcome> outcomes = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    RestoreJob(Supplier<Repository> source, BackupCatalog catalog, Metrics metrics, Clock clock, List<Component> components, RestoreRecord running) {
        this.source = source;
        this.catalog = catalog;
        this.metrics = metrics;
        this.clock = clock;
        this.components = components;
        this.record = running;
    }

    /** A phase failed: the restore ends here, naming it. */
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

    @Override
    public void run() {
        RestoreRequest req = record.request();
        String ts = record.timestamp();
        log.info("restore {} started: backup {} of namespace {} into namespace {}", record.restoreId(), ts, record.namespace(), record.destinationNamespace());
        try {
            Repository[] repo = new Repository[1];
            Manifest[] manifest = new Manifest[1];
            List<Component> selected = new ArrayList<>();
            phase("validate", () -> {
                repo[0] = source.get();
                manifest[0] = repo[0].readManifest(ts);
                for (Component c : components) {
                    if (!manifest[0].components().containsKey(c.name())) {
                        continue;
                    }
                    if (!req.restores(c.name())) {
                        outcomes.put(c.name(), new RestoreRecord.ComponentOutcome(Status.Success, null, "skipped: svcs." + c.name() + ".disable"));
                    } else {
                        selected.add(c);
                    }
                }
                for (String held : manifest[0].components().keySet()) {
                    if (components.stream().noneMatch(c -> c.name().equals(held))) {
                        warnings.add("the backup holds " + held + ", which this cluster does not have configured: not restored");
                    }
                }
                return "backup holds " + manifest[0].components().keySet() + "; restoring " + selected.stream().map(Component::name).toList();
            });
            try (RepositoryLock lock = RepositoryLock.shared(repo[0], "restore of " + ts)) {
                phase("pre-restore checks", () -> {
                    for (Component c : selected) {
                        c.precheck(repo[0], ts, manifest[0].components().get(c.name()));
                    }
                    return "data of " + selected.size() + " components intact, destinations writable"
                            + (req.disablePreRestoreChecks() ? " (cluster health checks disabled on request)" : "");
                });
                if (req.dryRun()) {
                    skip("upgrade", "dry run");
                    skip("restore", "dry run: would restore " + selected.stream().map(Component::name).toList());
                } else {
                    skip("upgrade", req.disableUpgrade() ? "disableUpgrade" : "platform upgrade is not available in this version");
                    phase("restore", () -> {
                        for (Component c : selected) {
                            Instant t0 = clock.instant();
                            try {
                                RestoreOutcome outcome = c.restore(repo[0], ts, manifest[0].components().get(c.name()));
                                warnings.addAll(outcome.notes().stream().map(n -> c.name() + ": " + n).toList());
                                Map<String, Long> stats = new LinkedHashMap<>(outcome.stats());
                                stats.put("durationMs", Duration.between(t0, clock.instant()).toMillis());
                                outcomes.put(c.name(), new RestoreRecord.ComponentOutcome(Status.Success, stats, null));
                                log.info("restore {} component {}: {}", record.restoreId(), c.name(), stats);
                            } catch (Exception e) {
                                outcomes.put(c.name(), new RestoreRecord.ComponentOutcome(Status.Failed, null, e.getMessage()));
                                throw e;
                            }
                        }
                        return "restored " + selected.size() + " components";
                    });
                }
            }
            skip("post-restore checks", req.disablePostRestoreChecks() ? "disablePostRestoreChecks" : "not available in this version");
            skip("report", "not available in this version");
            save(Status.Success, null);
            metrics.restoreFinished(true);
            log.info("restore {} Success in {} ms", record.restoreId(), durationMs());
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            save(Status.Failed, error);
            metrics.restoreFinished(false);
            log.error("restore {} Failed after {} ms: {}", record.restoreId(), durationMs(), error);
        }
    }

    private long durationMs() {
        return Duration.between(Instant.parse(record.startedAt()), clock.instant()).toMillis();
    }

    private void save(Status status, String error) {
        boolean done = status.finished();
        record = new RestoreRecord(record.backupurl(), record.namespace(), status, record.timestamp(), record.destinationNamespace(),
                record.restoreId(), record.startedAt(), done ? clock.instant().toString() : null, done ? durationMs() : null,
                record.request(), List.copyOf(phases), new LinkedHashMap<>(outcomes), List.copyOf(warnings), error, record.report());
        catalog.save(record);
    }
}
