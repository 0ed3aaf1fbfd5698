package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.AthenaProcess;
import dev.athena.testing.Trees;

/**
 * Backup and restore stream: trees several times larger than the heap go through a JVM capped
 * at 192 MiB, two volumes at once; 200,000 small files go through a JVM capped at 64 MiB, whose
 * index, packs and index files must then grow with the heap, not with the number of files.
 * (bench/memory.sh does the full 2 GiB + 30,000 files at 256 MiB, bench/many-files.sh
 * 500,000 files and more.)
 */
class BoundedMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeLargerThanTheHeapIsBackedUpAndRestoredWithASmallHeap() throws Exception {
        Path source = tmp.resolve("source");
        byte[] block = new byte[8 * 1024 * 1024];
        Random random = new Random(11);
        Files.createDirectories(source);
        try (var out = Files.newOutputStream(source.resolve("big.bin"))) {
            for (int i = 0; i < 40; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        for (int i = 0; i < 5000; i++) {
            Trees.write(source.resolve("small/" + i % 50 + "/" + i), ("file " + i).getBytes());
        }
        // A second volume backed up at the same time: the components of a backup run side by side
        // and share one pipeline (each with its own, two ran out of a 192 MiB heap).
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        try (var out = Files.newOutputStream(other.resolve("big.bin"))) {
            for (int i = 0; i < 12; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        Path log = tmp.resolve("athena.log");
        List<String> heap = List.of("-Xmx192m", "-XX:+ExitOnOutOfMemoryError");
        assertThat(AthenaProcess.run(log, heap, "backup", "--location", tmp.resolve("repo").toString(),
                "--volume", "data=" + source, "--volume", "other=" + other, "--timestamp", "2023-02-02t16-00-00")).as(Files.readString(log)).isZero();
        assertThat(AthenaProcess.run(log, heap, "restore", "--location", tmp.resolve("repo").toString(),
                "--volume", "data=" + tmp.resolve("target"), "--volume", "other=" + tmp.resolve("other-target"), "--timestamp", "2023-02-02t16-00-00"))
                .as(Files.readString(log)).isZero();
        Trees.assertSameTree(source, tmp.resolve("target"));
        Trees.assertSameTree(other, tmp.resolve("other-target"));
    }

    /** 60,000 files by default; 200,000 with -Pfaults (athena.scale.folders=200), the figure this was first measured at. */
    static final int FOLDERS = Integer.getInteger("athena.scale.folders", 60);

    @Test
    void manyThousandSmallFilesAreBackedUpVerifiedAndRestoredInA64MiBHeap() throws Exception {
        // In memory when the machine has a tmpfs: what is measured is the heap, and 600,000 file creations on this
        // machine's disk took from 50 s to 3 minutes from one run to the next.
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "athena-many-files-") : tmp;
        try {
            manySmallFilesInASmallHeap(base);
        } finally {
            if (!base.equals(tmp)) {
                Trees.deleteRecursively(base);
            }
        }
    }

    private void manySmallFilesInASmallHeap(Path tmp) throws Exception {
        Path source = tmp.resolve("source");
        Random random = new Random(5);
        byte[] content = new byte[100];
        for (int d = 0; d < FOLDERS; d++) {
            Path dir = Files.createDirectories(source.resolve("d" + d));
            for (int f = 0; f < 1000; f++) {
                random.nextBytes(content);
                Files.write(dir.resolve("f" + f), content);
            }
        }
        Path log = tmp.resolve("athena.log");
        List<String> heap = List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError");
        String repo = tmp.resolve("repo").toString();
        assertThat(AthenaProcess.run(log, heap, "backup", "--location", repo, "--volume", "data=" + source, "--timestamp", "2023-02-02t16-00-00"))
                .as(Files.readString(log)).isZero();
        // The index came in bounded parts, not one file built whole at the end.
        try (var indexFiles = Files.list(tmp.resolve("repo/app/repository/index"))) {
            List<Long> sizes = indexFiles.map(p -> p.toFile().length()).toList();
            assertThat(sizes).as("index files of " + FOLDERS + ",000 blobs").hasSizeGreaterThanOrEqualTo(FOLDERS / 20);
            assertThat(sizes).allMatch(size -> size < 8L * 1024 * 1024);
        }
        // Every pack the backup's index names was written: an upload thread that ran out of heap once lost four packs unnoticed.
        assertThat(AthenaProcess.run(log, heap, "verify", "--location", repo)).as(Files.readString(log)).isZero();
        assertThat(AthenaProcess.run(log, heap, "restore", "--yes", "--location", repo, "--volume", "data=" + tmp.resolve("target"),
                "--timestamp", "2023-02-02t16-00-00")).as(Files.readString(log)).isZero();
        Trees.assertSameTree(source, tmp.resolve("target"));
    }
}
