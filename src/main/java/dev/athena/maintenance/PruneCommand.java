package dev.athena.maintenance;

import dev.athena.repository.Pruner;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

/** Deletes the data that no existing backup refers to, under the exclusive lock. */
public final class PruneCommand {
    private final Repository repository;

    public PruneCommand(Repository repository) {
        this.repository = repository;
    }

    /** What {@link #call()} would delete now; changes nothing (backups made meanwhile only keep more). */
    public Pruner.Result plan() {
        try (RepositoryLock lock = RepositoryLock.sharedForReading(repository, "prune plan")) {
            repository.reloadIndex();
            return new Pruner(repository).plan(ReferencedBlobs.of(repository));
        }
    }

    public Pruner.Result call() {
        try (RepositoryLock lock = RepositoryLock.exclusive(repository, "prune")) {
            // Index files and manifests written before the lock was taken must count.
            repository.reloadIndex();
            return new Pruner(repository).prune(ReferencedBlobs.of(repository));
        }
    }
}
