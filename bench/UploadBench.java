import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;

/**
 * A first backup into a store that takes as long as S3 to accept an object: a round trip plus
 * the bytes at one connection's bandwidth. In one warm JVM (one throw-away backup first), best of
 * 2; prints "backup seconds". ATHENA_UPLOAD_THREADS, read at start, sets how many packs upload at once.
 * Run: java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp target/athena.jar bench/UploadBench.java TREE WORK LATENCY_MS MB_PER_S
 */
public class UploadBench {
    /** Each upload waits for a round trip and for its bytes to go through one connection. */
    static final class SlowUploads extends ForwardingStore {
        private final long latencyMs;
        private final double bytesPerMs;

        SlowUploads(ObjectStore inner, long latencyMs, double megabytesPerSecond) {
            super(inner);
            this.latencyMs = latencyMs;
            this.bytesPerMs = megabytesPerSecond * 1_000_000 / 1000;
        }

        private void transfer(int length) {
            try {
                Thread.sleep(latencyMs + (long) (length / bytesPerMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void put(String key, byte[] data) {
            transfer(data.length);
            super.put(key, data);
        }

        @Override
        public void put(String key, byte[] data, int length) {
            transfer(length);
            super.put(key, data, length);
        }
    }

    public static void main(String[] args) throws Exception {
        Path tree = Path.of(args[0]);
        Path work = Path.of(args[1]);
        long latency = Long.parseLong(args[2]);
        double bandwidth = Double.parseDouble(args[3]);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            Path dir = work.resolve("repo-" + round);
            Repository repo = Repository.open(new SlowUploads(new LocalStore(dir), latency, bandwidth), "app", null, true);
            long t0 = System.nanoTime();
            new BackupCommand(repo).volume("data", tree).timestamp("2026-01-01t00-00-00").call();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (round > 0) {
                best = Math.min(best, seconds);
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.printf("backup %.3f%n", best);
    }
}
