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
 * at 192 MiB, two volumes at once. (bench/memory.sh does the full 2 GiB + 30,000 files at 256 MiB.)
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
}
