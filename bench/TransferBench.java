import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.restore.RestoreSource;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;

/**
 * A first backup into, and a restore from, a store that takes as long as S3 to move an object:
 * a round trip plus its bytes at one connection's bandwidth. In one warm JVM (one throw-away
 * round first), best of 2; prints "backup seconds" and "restore seconds". ATHENA_TRANSFER_THREADS,
 * read at start, sets how many packs move at once. The restore reads the store as one from S3 does
 * (through the download cache).
 * Run: java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp target/athena.jar bench/TransferBench.java TREE WORK LATENCY_MS MB_PER_S
 */
public class TransferBench {
    /** Each request waits for a round trip and for its bytes to go through one connection. */
    static final class SlowStore extends ForwardingStore {
        private final long latencyMs;
        private final double bytesPerMs;

        SlowStore(ObjectStore inner, long latencyMs, double megabytesPerSecond) {
            super(inner);
            this.latencyMs = latencyMs;
            this.bytesPerMs = megabytesPerSecond * 1_000_000 / 1000;
        }

        private void transfer(long length) {
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

        @Override
        public byte[] get(String key) {
            byte[] data = super.get(key);
            transfer(data.length);
            return data;
        }

        @Override
        public byte[] getRange(String key, long offset, int length) {
            transfer(length);
            return super.getRange(key, offset, length);
        }

        @Override
        public List<dev.athena.storage.StoredObject> list(String prefix) {
            transfer(0);
            return super.list(prefix);
        }
    }

    public static void main(String[] args) throws Exception {
        Path tree = Path.of(args[0]);
        Path work = Path.of(args[1]);
        long latency = Long.parseLong(args[2]);
        double bandwidth = Double.parseDouble(args[3]);
        double bestBackup = Double.MAX_VALUE;
        double bestRestore = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            Path dir = work.resolve("repo-" + round);
            SlowStore store = new SlowStore(new LocalStore(dir), latency, bandwidth);
            Repository repo = Repository.open(store, "app", null, true);
            long t0 = System.nanoTime();
            new BackupCommand(repo).volume("data", tree).timestamp("2026-01-01t00-00-00").call();
            double backup = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            try (RestoreSource source = RestoreSource.open(store, true, "app", null, work.resolve("scratch"))) {
                new RestoreCommand(source.repository(), "2026-01-01t00-00-00").volume("data", work.resolve("restored-" + round)).call();
            }
            double restore = (System.nanoTime() - t1) / 1e9;
            if (round > 0) {
                bestBackup = Math.min(bestBackup, backup);
                bestRestore = Math.min(bestRestore, restore);
            }
            for (Path p : List.of(dir, work.resolve("restored-" + round))) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        System.out.printf("backup %.3f%nrestore %.3f%n", bestBackup, bestRestore);
    }
}
