package dev.athena.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Json;
import dev.athena.repository.Pruner;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.repository.RepositoryLockedException;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;
import dev.athena.testing.Trees;

class PruneTest {
    @TempDir
    Path tmp;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static long stored(LocalStore store) {
        return store.list("app/repository/data/").stream().mapToLong(StoredObject::size).sum();
    }

    @Test
    void dataOnlyAForgottenBackupReferredToIsDeletedAndTheKeptBackupStillRestores() throws Exception {
        Path source = tmp.resolve("source");
        Trees.write(source.resolve("kept.bin"), random(6 * 1024 * 1024, 1));
        Trees.write(source.resolve("dropped.bin"), random(30 * 1024 * 1024, 2));
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository repo = Repository.open(store, "app", null, true);
        new BackupCommand(repo).volume("v", source).timestamp("2023-01-01t00-00-00").call();
        java.nio.file.Files.delete(source.resolve("dropped.bin"));
        Trees.write(source.resolve("new.txt"), "new".getBytes());
        new BackupCommand(repo).volume("v", source).timestamp("2023-01-02t00-00-00").call();
        long before = stored(store);

        repo.deleteManifest("2023-01-01t00-00-00");
        Pruner.Result result = new PruneCommand(repo).call();

        assertThat(result.bytesFreed()).isGreaterThan(20L * 1024 * 1024);
        assertThat(stored(store)).isLessThan(before - 20L * 1024 * 1024);
        Repository fresh = Repository.open(store, "app", null, false);
        assertThat(new VerifyCommand(fresh).call().problems()).isEmpty();
        Path target = tmp.resolve("target");
        new RestoreCommand(fresh, "2023-01-02t00-00-00").volume("v", target).call();
        Trees.assertSameTree(source, target);
        assertThat(store.list("app/repository/index/")).hasSize(1);
    }

    @Test
    void pruneWaitsForRunningBackupsAndBackupsForPrune() {
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository repo = Repository.open(store, "app", null, true);
        try (RepositoryLock backup = RepositoryLock.shared(repo, "backup 2023-01-01t00-00-00")) {
            assertThatThrownBy(() -> new PruneCommand(repo).call())
                    .isInstanceOf(RepositoryLockedException.class).hasMessageContaining("locked by backup 2023-01-01t00-00-00");
        }
        try (RepositoryLock prune = RepositoryLock.exclusive(repo, "prune")) {
            assertThatThrownBy(() -> RepositoryLock.shared(repo, "backup")).isInstanceOf(RepositoryLockedException.class)
                    .hasMessageContaining("locked by prune");
        }
        assertThat(store.list("app/repository/locks/")).isEmpty();
    }

    @Test
    void aLockLeftByACrashedProcessIsBrokenWhenStale() {
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository repo = Repository.open(store, "app", null, true);
        Instant old = Clock.systemUTC().instant().minus(RepositoryLock.STALE_AFTER).minus(Duration.ofMinutes(1));
        // A lock of a process on another host that stopped refreshing it 31 minutes ago.
        store.put("app/repository/locks/crashed", Json.write(new RepositoryLock.LockInfo(true, "other-host", 4242, "prune", old, old)));
        // A lock of a process on this host that no longer runs.
        store.put("app/repository/locks/dead-pid", Json.write(new RepositoryLock.LockInfo(true,
                RepositoryLock.hostname(), Long.MAX_VALUE - 1, "prune", Instant.now(), Instant.now())));

        try (RepositoryLock lock = RepositoryLock.exclusive(repo, "prune")) {
            assertThat(store.list("app/repository/locks/")).hasSize(1);
        }
    }
}
