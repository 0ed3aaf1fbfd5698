package dev.athena.service;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import dev.athena.component.Component;
import dev.athena.maintenance.PruneCommand;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.pitr.WalArchive;
import dev.athena.component.postgres.pitr.WalPosition;
import dev.athena.repository.Manifest;
import dev.athena.repository.Pruner;
import dev.athena.repository.Repository;
import dev.athena.schedule.RetentionPolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes the backups the retention period lets go, then prunes the data only they referred to. */
public final class RetentionSweep {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    private final JobRecords records;
    private final Supplier<Repository> repositories;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final List<Component> components;
    /** The backups proven restorable (a successful drill, a complete verification cycle); the newest of them is kept. */
    private java.util.function.Supplier<java.util.Set<String>> proven = java.util.Set::of;

    public record Result(List<String> deleted, Pruner.Result prune) {
    }

    public RetentionSweep(JobRecords records, Supplier<Repository> repositories, RetentionPolicy policy, Clock clock,
                          List<Component> components) {
        this.components = List.copyOf(components);
        this.records = records;
        this.repositories = repositories;
        this.policy = policy;
        this.clock = clock;
    }

    /** Where the sweep learns which backups were proven restorable. */
    RetentionSweep proven(java.util.function.Supplier<java.util.Set<String>> proven) {
        this.proven = proven;
        return this;
    }

    /** What a backup keeps outside the repository (RDS snapshots) goes with it. */
    private void forgetOutsideData(Repository repository, String ts) {
        if (!repository.store().exists(repository.layout().manifest(ts))) {
            return;
        }
        Manifest manifest = repository.readManifest(ts);
        for (Component c : components) {
            Manifest.ComponentSnapshot snapshot = manifest.components().get(c.name());
            if (snapshot != null) {
                try {
                    c.forget(snapshot);
                } catch (Exception e) {
                    log.warn("retention: backup {}, component {}: cannot release its data: {}", ts, c.name(), e.getMessage());
                }
            }
        }
    }

    /** The archived WAL keeps exactly what the oldest base backup still kept needs to be replayed from; none kept: all stays. */
    private void pruneWal(Repository repository) {
        if (repository.store().list(repository.layout().walFolder()).isEmpty()) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (String ts : repository.timestamps()) {
            Manifest.ComponentSnapshot pg = repository.readManifest(ts).components().get("postgres");
            if (pg != null) {
                oldest = Math.min(oldest, PostgresComponent.baseBackupOf(pg).map(b -> b.startLsn()).orElse(Long.MAX_VALUE));
            }
        }
        if (oldest == Long.MAX_VALUE) {
            log.warn("retention: no backup kept has a base backup, so the archived WAL is kept whole");
            return;
        }
        int deleted = new WalArchive(repository).deleteBefore(oldest);
        if (deleted > 0) {
            log.info("retention: deleted {} WAL segments from before the oldest base backup kept ({})", deleted, WalPosition.format(oldest));
        }
    }

    public Result run() {
        java.util.Set<String> provenNow = proven.get();
        List<String> expired = policy.expired(records.list().stream()
                .map(b -> new RetentionPolicy.Kept(b.timestamp(), b.status().finished(), b.status() == JobStatus.Success && !Boolean.TRUE.equals(b.damaged()),
                        provenNow.contains(b.timestamp()))).toList(), clock.instant());
        Repository repository = expired.isEmpty() ? null : repositories.get();
        for (String ts : expired) {
            forgetOutsideData(repository, ts);
            records.delete(ts);
            log.info("retention: deleted backup {}", ts);
        }
        if (expired.isEmpty()) {
            return new Result(expired, null);
        }
        Pruner.Result pruned;
        try {
            pruned = new PruneCommand(repository).call();
            pruneWal(repository);
        } finally {
            repository.close();
        }
        log.info("retention: deleted {} backups, freed {} bytes", expired.size(), pruned.bytesFreed());
        return new Result(expired, pruned);
    }
}
