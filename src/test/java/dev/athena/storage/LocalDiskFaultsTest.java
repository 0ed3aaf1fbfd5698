package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.testing.Trees;

/**
 * The local store on a real small file system (a 64 MiB tmpfs this test mounts; it needs root, as
 * CI runs): a full disk and a read-only remount fail the backup naming the location, earlier
 * backups still verify and restore, and the next backup after the fault clears succeeds.
 */
class LocalDiskFaultsTest {
    private static final String KEY = "local-disk-faults-key";
    @TempDir
    Path tmp;
    Path disk;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectories(tmp.resolve("disk"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", disk.toString()) == 0,
                "mounting a tmpfs needs root (CI runs as root)");
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", "-l", disk.toString());
    }

    private ObjectStore store() {
        return RetryingStore.standard(new ReadBackStore(new LocalStore(disk.resolve("backups"))));
    }

    @Test
    void aFullDiskFailsTheBackupAndTheNextOneSucceedsOnceThereIsRoom() throws Exception {
        Path first = Trees.randomFiles(tmp.resolve("first"), 5, 1024 * 1024, 1);
        new BackupCommand(Repository.open(store(), "app", KEY, true)).volume("metagraph", first).timestamp("2024-01-01t00-00-00").call();

        Path filler = disk.resolve("filler");
        Trees.write(filler, new byte[40 * 1024 * 1024]);
        Path second = Trees.randomFiles(tmp.resolve("second"), 15, 2 * 1024 * 1024, 2);
        assertThatThrownBy(() -> new BackupCommand(Repository.open(store(), "app", KEY, false)).volume("metagraph", second)
                .timestamp("2024-01-01t01-00-00").call())
                .hasMessageContaining("No space left on device")
                .hasMessageContaining(disk.resolve("backups").toString());

        Repository after = Repository.open(store(), "app", KEY, false);
        assertThat(after.timestamps()).containsExactly("2024-01-01t00-00-00");
        assertThat(new VerifyCommand(after).call().problems()).isEmpty();
        Path restored = tmp.resolve("restored-first");
        new RestoreCommand(after, "2024-01-01t00-00-00").volume("metagraph", restored).call();
        Trees.assertSameTree(first, restored);

        Files.delete(filler);
        new BackupCommand(Repository.open(store(), "app", KEY, false)).volume("metagraph", second).timestamp("2024-01-01t02-00-00").call();
        Path restoredSecond = tmp.resolve("restored-second");
        new RestoreCommand(Repository.open(store(), "app", KEY, false), "2024-01-01t02-00-00").volume("metagraph", restoredSecond).call();
        Trees.assertSameTree(second, restoredSecond);
    }

    @Test
    void aReadOnlyLocationRefusesBackupsButStillVerifiesAndRestores() throws Exception {
        Path first = Trees.randomFiles(tmp.resolve("first"), 3, 300_000, 3);
        new BackupCommand(Repository.open(store(), "app", KEY, true)).volume("metagraph", first).timestamp("2024-01-01t00-00-00").call();
        assertThat(run("mount", "-o", "remount,ro", disk.toString())).isZero();

        assertThatThrownBy(() -> new BackupCommand(Repository.open(store(), "app", KEY, false)).volume("metagraph", first).call())
                .isInstanceOf(ReadOnlyStorageException.class)
                .hasMessageContaining("the backup location is read-only")
                .hasMessageContaining(disk.resolve("backups").toString());
        Repository readOnly = Repository.open(store(), "app", KEY, false);
        assertThat(new VerifyCommand(readOnly).call().problems()).isEmpty();
        Path restored = tmp.resolve("restored");
        new RestoreCommand(readOnly, "2024-01-01t00-00-00").volume("metagraph", restored).call();
        Trees.assertSameTree(first, restored);

        assertThat(run("mount", "-o", "remount,rw", disk.toString())).isZero();
        new BackupCommand(Repository.open(store(), "app", KEY, false)).volume("metagraph", first).timestamp("2024-01-01t01-00-00").call();
        assertThat(Repository.open(store(), "app", KEY, false).timestamps()).containsExactly("2024-01-01t00-00-00", "2024-01-01t01-00-00");
    }
}
