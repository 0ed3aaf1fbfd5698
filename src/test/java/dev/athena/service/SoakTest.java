package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.ServiceFixture;
import dev.athena.testing.Trees;

/**
 * Scheduled backups every 2 seconds of a small platform that keeps changing, with retention
 * pruning after each: no failure, storage bounded by the live data, threads, heap and open files
 * flat from the start to the end, and the repository verifies. The default suite runs
 * {@code athena.soak.backups} = 5; {@code mvn -Pfaults verify} runs 300 (bench/soak.sh records them).
 */
class SoakTest {
    @TempDir
    Path tmp;

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long bytesUnder(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double metric(String metrics, String line) {
        return metrics.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void scheduledBackupsEveryTwoSecondsStayFlat() throws Exception {
        int backups = Integer.getInteger("athena.soak.backups", 5);
        try (ServiceFixture athena = new ServiceFixture(tmp, java.time.Clock.systemUTC(), Map.of("ENABLE_REGULAR_BACKUPS", "true",
                "BACKUP_FREQUENCY", "*/2 * * * * *", "BACKUP_RETENTION_PERIOD", "0"))) {
            Trees.randomFiles(athena.metagraph.resolve("data"), 8, 200_000, 1);
            java.util.function.IntSupplier succeeded = () -> {
                try {
                    return (int) metric(athena.call("GET", "/metrics", null).body(), "athena_backups_total{status=\"Success\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> succeeded.getAsInt() >= 1);
            long threads0 = ManagementFactory.getThreadMXBean().getThreadCount();
            long heap0 = heapAfterGc();
            long files0 = openFiles();
            long live = bytesUnder(athena.metagraph) + bytesUnder(athena.gitserver) + bytesUnder(athena.configMap);
            for (int done = succeeded.getAsInt(), change = 0; done < backups; done = succeeded.getAsInt()) {
                // The platform changes between backups: a new file in the metagraph volume, a rewritten one.
                Trees.write(athena.metagraph.resolve("data/change-" + (change++ % 20)), new byte[5_000 + change]);
                int before = done;
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> succeeded.getAsInt() > before);
                if (Boolean.getBoolean("athena.soak.trace")) {
                    System.out.printf("SoakTest trace: %d backups, %d threads, %d KiB heap%n", done,
                            ManagementFactory.getThreadMXBean().getThreadCount(), heapAfterGc() / 1024);
                }
                assertThat(metric(athena.call("GET", "/metrics", null).body(), "athena_backup_failures_total")).isZero();
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> athena.service.jobs().running().isEmpty());
            long threads1 = ManagementFactory.getThreadMXBean().getThreadCount();
            long heap1 = heapAfterGc();
            long files1 = openFiles();
            long stored = bytesUnder(tmp.resolve("backups"));
            System.out.printf("SoakTest: %d backups; threads %d -> %d; heap after GC %d -> %d KiB; open files %d -> %d; stored %d KiB"
                            + " for %d KiB live%n", succeeded.getAsInt(), threads0, threads1, heap0 / 1024, heap1 / 1024, files0, files1,
                    stored / 1024, live / 1024);
            assertThat(threads1).as("threads").isLessThanOrEqualTo(threads0 + 4);
            assertThat(files1).as("open files").isLessThanOrEqualTo(files0 + 8);
            assertThat(heap1).as("heap after GC").isLessThan(heap0 + 64L * 1024 * 1024);
            // Retention 0 keeps the newest backup only: what is stored stays near one copy of the live data.
            assertThat(stored).as("stored bytes").isLessThan(3 * live + 1024 * 1024);
            Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, false);
            assertThat(new VerifyCommand(repo).call().problems()).isEmpty();
            assertThat(athena.call("GET", "/athena/api/v1/backuplist", null).json()).allSatisfy(r ->
                    assertThat(r.get("status").asText()).isNotEqualTo("Failed"));
        }
    }
}
