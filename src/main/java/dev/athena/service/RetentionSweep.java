package dev.athena.service;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import dev.athena.maintenance.PruneCommand;
import dev.athena.repository.Pruner;
import dev.athena.repository.Repository;
import dev.athena.schedule.RetentionPolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes the backups the retention period lets go, then prunes the data only they referred to. */
public final class RetentionSweep {
    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    private final BackupCatalog catalog;
    private final Supplier<Repository> repositories;
    private final RetentionPolicy policy;
    private final Clock clock;

    public record Result(List<String> deleted, Pruner.Result prune) {
    }

    public RetentionSweep(BackupCatalog catalog, Supplier<Repository> repositories, RetentionPolicy policy, Clock clock) {
        this.catalog = catalog;
        this.repositories = repositories;
        this.policy = policy;
        this.clock = clock;
    }

    public Result run() {
        List<String> expired = policy.expired(catalog.list(), clock.instant());
        for (String ts : expired) {
            catalog.delete(ts);
            log.info("retention: deleted backup {}", ts);
        }
        if (expired.isEmpty()) {
            return new Result(expired, null);
        }
        Pruner.Result pruned = new PruneCommand(repositories.get()).call();
        log.info("retention: deleted {} backups, freed {} bytes", expired.size(), pruned.bytesFreed());
        return new Result(expired, pruned);
    }
}
