package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.FaultyStore;
import dev.athena.storage.LocalStore;
import dev.athena.testing.Trees;

class VolumeRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderWithEveryKindOfEntryIsRestoredExactlyIntoAnotherFolder() throws Exception {
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);

        Manifest m = new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-00").call();

        assertThat(m.components()).containsKey("metagraph");
        assertThat(m.warnings()).anyMatch(w -> w.contains("skipped fifo") && w.contains("a-fifo"))
                .anyMatch(w -> w.contains("skipped socket") && w.contains("a-socket"));

        Path target = tmp.resolve("target");
        Trees.write(target.resolve("stale/leftover.txt"), "must go".getBytes());
        Trees.write(target.resolve("small.txt"), "old content".getBytes());
        Files.createDirectories(target.resolve("big.bin"));
        Files.createSymbolicLink(target.resolve("a"), Path.of("/tmp"));

        new RestoreCommand(repo, "2023-02-02t16-00-00").volume("metagraph", target).call();

        Trees.assertSameTree(source, target);
        assertThat(Files.size(target.resolve("sparse.img"))).isEqualTo(64L * 1024 * 1024);
        assertThat(Trees.allocatedBytes(target.resolve("sparse.img"))).isLessThan(8L * 1024 * 1024);
    }

    /** A new, empty volume (the disaster-recovery case) is filled the way a folder the restore creates is, and ends the same. */
    @Test
    void anEmptyExistingFolderAndAMissingOneEndTheSame() throws Exception {
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Files.setPosixFilePermissions(source, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-00").call();

        Path missing = tmp.resolve("missing");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Files.setPosixFilePermissions(empty, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        new RestoreCommand(repo, "2023-02-02t16-00-00").volume("metagraph", missing).call();
        new RestoreCommand(repo, "2023-02-02t16-00-00").volume("metagraph", empty).call();

        Trees.assertSameTree(source, missing);
        Trees.assertSameTree(source, empty);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(empty))).isEqualTo("rwxr-x---");
        try (var left = Files.list(empty)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".athena-restore-"));
        }
    }

    @Test
    void anUnchangedTreeIsNotReadAgainAndAChangedFileIs() throws Exception {
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t16-00-00").call();

        Manifest second = new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t18-00-00").call();
        assertThat(second.components().get("v").stats().get("bytesRead")).isZero();

        Trees.write(source.resolve("a/b/c/deep.txt"), "deeper".getBytes());
        Manifest third = new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t20-00-00").call();
        assertThat(third.components().get("v").stats().get("bytesRead")).isEqualTo(6);

        Path target = tmp.resolve("target");
        new RestoreCommand(repo, "2023-02-02t20-00-00").volume("v", target).call();
        Trees.assertSameTree(source, target);
    }

    /** Small files' chunks lie back to back in their packs: the restore reads them in runs, not one read each. */
    @Test
    void manySmallFilesAreReadInRunsAndRestoredExactly() throws Exception {
        Path source = tmp.resolve("source");
        java.util.Random random = new java.util.Random(2000);
        for (int i = 0; i < 2000; i++) {
            byte[] data = new byte[100 + random.nextInt(400)];
            random.nextBytes(data);
            Trees.write(source.resolve("d" + i % 7 + "/f" + i), data);
        }
        LocalStore local = new LocalStore(tmp.resolve("backups"));
        new BackupCommand(Repository.open(local, "app", null, true)).volume("v", source).timestamp("2023-02-02t16-00-00").call();
        FaultyStore counting = new FaultyStore(local, Integer.MAX_VALUE);
        Repository repo = Repository.open(counting, "app", null, false);

        new RestoreCommand(repo, "2023-02-02t16-00-00").volume("v", tmp.resolve("target")).call();

        Trees.assertSameTree(source, tmp.resolve("target"));
        // One read for each run of up to 256 chunks (ChunkPrefetcher.RUN_BLOBS), and a few for the file list:
        // one read a file would be 2,000.
        assertThat(counting.reads()).isLessThan(100);
    }

    @Test
    void aRestoreThatFailsMidwaySaysExactlyHowFarItGot() throws Exception {
        Path source = tmp.resolve("source");
        // Files of 600 KB of random bytes: each its own chunk, and no two together fit one read of the restore
        // (ChunkPrefetcher.RUN_BYTES), so each file is one read of the store.
        java.util.Random random = new java.util.Random(40);
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[600_000];
            random.nextBytes(data);
            Trees.write(source.resolve("d" + i + "/file.txt"), data);
        }
        LocalStore local = new LocalStore(tmp.resolve("backups"));
        new BackupCommand(Repository.open(local, "app", null, true)).volume("v", source).timestamp("2023-02-02t16-00-00").call();
        // Fault injection: after the checks passed, the store fails from its 28th ranged read on, as a lost disk would.
        // Each file takes one (the file list at most two, and none when it is served from the download cache); reads
        // run at most 12 ahead of the writer, so at least 13 files and at most 27 were written.
        Repository repo = Repository.open(new FaultyStore(local, 2 + 25), "app", null, false);
        Path target = tmp.resolve("target");
        Trees.write(target.resolve("stale.txt"), "old".getBytes());

        assertThatThrownBy(() -> new RestoreCommand(repo, "2023-02-02t16-00-00").volume("v", target).call())
                .hasMessageContaining("stopped after changing").hasMessageContaining("first changed")
                .hasMessageContaining("d0/file.txt").hasMessageContaining("injected fault")
                .hasMessageMatching("(?s).*\\((1[3-9]|2[0-7]) files written.*");
    }

    @Test
    void aFileOverFourGibibytesRoundTripsAndItsHolesStayHoles() throws Exception {
        Path source = tmp.resolve("source");
        Files.createDirectories(source);
        Path big = source.resolve("disk.img");
        long size = 4L * 1024 * 1024 * 1024 + 300L * 1024 * 1024 + 123;
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(size);
            f.seek(0);
            f.write("start".getBytes());
            f.seek(4L * 1024 * 1024 * 1024 + 7);
            f.write("past four gibibytes".getBytes());
            f.seek(size - 3);
            f.write("end".getBytes());
        }
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Manifest m = new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t16-00-00").call();
        assertThat(m.components().get("v").stats().get("bytes")).isEqualTo(size);
        assertThat(repo.storedBytes()).as("zeros are stored once").isLessThan(10L * 1024 * 1024);

        Path target = tmp.resolve("target");
        new RestoreCommand(repo, "2023-02-02t16-00-00").volume("v", target).call();
        Path restored = target.resolve("disk.img");
        assertThat(Files.size(restored)).isEqualTo(size);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(restored.toFile(), "r")) {
            byte[] b = new byte[19];
            f.seek(4L * 1024 * 1024 * 1024 + 7);
            f.readFully(b);
            assertThat(new String(b)).isEqualTo("past four gibibytes");
            f.seek(size - 3);
            f.readFully(b, 0, 3);
            assertThat(new String(b, 0, 3)).isEqualTo("end");
        }
        assertThat(Trees.allocatedBytes(restored)).isLessThan(64L * 1024 * 1024);
    }
}
