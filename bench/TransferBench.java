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
 *
 * With "platform" for TREE: a backup of the platform configured in the environment (as
 * {@code athena serve} reads it) into that store, its components one after another
 * (ATHENA_COMPONENT_THREADS=1) against side by side (the default), alternating, best of 2 after a
 * throw-away round; each backup is then restored over the platform it came from, with the same setting; prints
 * "sequential SECONDS SPREAD RESTORE_SECONDS" and "parallel ..." alike, where the spread is how far
 * apart the components' captures started in that setting's best backup.
 *
 * With "restore REPOSITORY OUT LATENCY_MS MB_PER_S TIMESTAMP": one restore of volume metagraph of that
 * backup, read from the folder REPOSITORY as through that store, as the CLI's restore runs (the
 * pre-restore check first; ATHENA_ENCRYPTION_KEY opens it); prints "restore SECONDS".
 * With "fetch FOLDER LATENCY_MS MB_PER_S THREADS": the reference for it, every file of FOLDER in name
 * order downloaded through that store THREADS at a time and written to standard output in order
 * (a tar.zst split into parts, piped into zstd -d | tar -x).
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
        if (args[0].equals("restore")) {
            SlowStore store = new SlowStore(new LocalStore(Path.of(args[1])), Long.parseLong(args[3]), Double.parseDouble(args[4]));
            long t0 = System.nanoTime();
            try (RestoreSource source = RestoreSource.open(store, true, "app", System.getenv("ATHENA_ENCRYPTION_KEY"),
                    Path.of(args[2] + ".scratch"), Repository.Options.DEFAULTS)) {
                new RestoreCommand(source.repository(), args[5]).volume("metagraph", Path.of(args[2])).call();
            }
            System.out.printf("restore %.3f%n", (System.nanoTime() - t0) / 1e9);
            delete(Path.of(args[2] + ".scratch"));
            return;
        }
        if (args[0].equals("fetch")) {
            fetch(Path.of(args[1]), Long.parseLong(args[2]), Double.parseDouble(args[3]), Integer.parseInt(args[4]));
            return;
        }
        if (args[0].equals("platform")) {
            platform(Path.of(args[1]), Long.parseLong(args[2]), Double.parseDouble(args[3]));
            return;
        }
        Path tree = Path.of(args[0]);
        Path work = Path.of(args[1]);
        long latency = Long.parseLong(args[2]);
        double bandwidth = Double.parseDouble(args[3]);
        double bestBackup = Double.MAX_VALUE;
        double bestRestore = Double.MAX_VALUE;
        // ATHENA_BENCH_COLD=1: one round in this freshly started JVM, as users run a command (the headline); else a
        // throw-away round, then the best of 2 in the warm JVM.
        boolean cold = "1".equals(System.getenv("ATHENA_BENCH_COLD"));
        for (int round = 0; round < (cold ? 1 : 3); round++) {
            Path dir = work.resolve("repo-" + round);
            SlowStore store = new SlowStore(new LocalStore(dir), latency, bandwidth);
            // ATHENA_BENCH_READ_BACK=1: every write read back, as serve and the CLI open the store (StorageConfig.open).
            ObjectStore writeTo = "1".equals(System.getenv("ATHENA_BENCH_READ_BACK")) ? new dev.athena.storage.ReadBackStore(store) : store;
            Repository repo = Repository.open(writeTo, "app", null, true);
            long t0 = System.nanoTime();
            new BackupCommand(repo).volume("data", tree).timestamp("2026-01-01t00-00-00").call();
            double backup = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            try (RestoreSource source = RestoreSource.open(store, true, "app", null, work.resolve("scratch"), Repository.Options.DEFAULTS)) {
                new RestoreCommand(source.repository(), "2026-01-01t00-00-00").volume("data", work.resolve("restored-" + round)).call();
            }
            double restore = (System.nanoTime() - t1) / 1e9;
            if (round > 0 || cold) {
                bestBackup = Math.min(bestBackup, backup);
                bestRestore = Math.min(bestRestore, restore);
            }
            delete(dir);
            delete(work.resolve("restored-" + round));
        }
        System.out.printf("backup %.3f%nrestore %.3f%n", bestBackup, bestRestore);
    }

    static void platform(Path work, long latency, double bandwidth) throws Exception {
        List<dev.athena.component.Component> components = dev.athena.config.PlatformComponents.of(
                dev.athena.config.AthenaConfig.fromEnv(System.getenv()));
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] bestRestore = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] spread = new double[2];
        // ATHENA_BENCH_COLD=sequential or parallel: one backup and restore of that setting alone in this freshly started JVM
        // (the headline: a setting run second in the same JVM would find its code compiled by the first).
        String cold = System.getenv("ATHENA_BENCH_COLD");
        for (int round = 0; round < (cold != null ? 1 : 3); round++) {
            int[] settings = {1, dev.athena.config.Tuning.DEFAULTS.componentThreads()};
            for (int k = 0; k < settings.length; k++) {
                if (cold != null && !cold.equals(k == 0 ? "sequential" : "parallel")) {
                    continue;
                }
                Path dir = work.resolve("platform-" + round + "-" + settings[k]);
                SlowStore store = new SlowStore(new LocalStore(dir), latency, bandwidth);
                Repository repo = Repository.open(store, "app", null, true);
                BackupCommand backup = new BackupCommand(repo).timestamp("2026-01-01t00-00-00").componentThreads(settings[k]);
                components.forEach(backup::component);
                long t0 = System.nanoTime();
                dev.athena.repository.Manifest manifest = backup.call();
                double seconds = (System.nanoTime() - t0) / 1e9;
                // The restore writes the same data back over the platform it came from (the database is swapped in whole).
                long t1 = System.nanoTime();
                try (RestoreSource source = RestoreSource.open(store, true, "app", null, work.resolve("scratch"), Repository.Options.DEFAULTS)) {
                    RestoreCommand restore = new RestoreCommand(source.repository(), "2026-01-01t00-00-00").componentThreads(settings[k]);
                    components.forEach(restore::component);
                    restore.call();
                }
                double restoreSeconds = (System.nanoTime() - t1) / 1e9;
                System.err.printf("round %d, %d at once: backup %.3f s, restore %.3f s, windows %s%n", round, settings[k], seconds, restoreSeconds,
                        manifest.windows());
                if (round > 0 || cold != null) {
                    bestRestore[k] = Math.min(bestRestore[k], restoreSeconds);
                }
                if ((round > 0 || cold != null) && seconds < best[k]) {
                    best[k] = seconds;
                    List<java.time.Instant> starts = manifest.windows().values().stream().map(w -> java.time.Instant.parse(w.startedAt())).sorted().toList();
                    spread[k] = java.time.Duration.between(starts.get(0), starts.get(starts.size() - 1)).toNanos() / 1e9;
                }
                delete(dir);
            }
        }
        for (int k = 0; k < 2; k++) {
            if (best[k] < Double.MAX_VALUE) {
                System.out.printf("%s %.3f %.3f %.3f%n", k == 0 ? "sequential" : "parallel", best[k], spread[k], bestRestore[k]);
            }
        }
    }

    /** Downloads the parts THREADS at a time, a sliding window in name order, and writes each to stdout once those before it are written. */
    static void fetch(Path folder, long latency, double bandwidth, int threads) throws Exception {
        SlowStore store = new SlowStore(new LocalStore(folder), latency, bandwidth);
        List<String> parts;
        try (Stream<Path> s = Files.list(folder)) {
            parts = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.ArrayDeque<java.util.concurrent.Future<byte[]>> window = new java.util.ArrayDeque<>();
        try (java.io.OutputStream out = new java.io.FileOutputStream(java.io.FileDescriptor.out)) {
            int next = 0;
            while (next < parts.size() || !window.isEmpty()) {
                while (next < parts.size() && window.size() < threads) {
                    String key = parts.get(next++);
                    window.add(pool.submit(() -> store.get(key)));
                }
                out.write(window.removeFirst().get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void delete(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
