import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;

/**
 * Athena as the service runs it: one long-lived JVM, so the JIT has compiled the hot paths.
 * Warms up with two throw-away backups and restores, then twice times a first backup into a fresh
 * repository, an unchanged re-backup and a restore, and prints "name seconds" lines.
 * Run: java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp target/athena.jar bench/EngineBench.java TREE WORK
 */
public class EngineBench {
    public static void main(String[] args) throws Exception {
        Path tree = Path.of(args[0]);
        Path work = Path.of(args[1]);
        for (int i = 0; i < 2; i++) {
            run(tree, work.resolve("warm-" + i), false);
        }
        // Two timed rounds; the faster run of each step counts, as in engine.sh.
        double[] best = run(tree, work.resolve("timed-1"), true);
        double[] second = run(tree, work.resolve("timed-2"), true);
        String[] names = {"warm_tar", "warm_first", "warm_second", "warm_untar", "warm_restore"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%s %.3f%n", names[i], Math.min(best[i], second[i]));
        }
    }

    /** Runs a shell command after a sync, and returns its wall time in seconds. */
    private static double shell(String command) throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        long t0 = System.nanoTime();
        int exit = new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(command + " failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void sync() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private static double[] run(Path tree, Path work, boolean print) throws Exception {
        Files.createDirectories(work);
        // The references run here too, right before each step, so both meet the same disk state.
        double tar = print ? shell("tar -cf - -C '" + tree + "' . | zstd -q -1 -T2 > '" + work.resolve("ref.tar.zst") + "'") : 0;
        Repository repo = Repository.open(new LocalStore(work.resolve("repo")), "app", null, true);
        sync();
        long t0 = System.nanoTime();
        new BackupCommand(repo).volume("data", tree).timestamp("2026-01-01t00-00-00").call();
        long t1 = System.nanoTime();
        new BackupCommand(repo).volume("data", tree).timestamp("2026-01-01t00-00-01").call();
        long t2 = System.nanoTime();
        double second = (t2 - t1) / 1e9;
        double untar = print ? shell("mkdir -p '" + work.resolve("ref-out") + "' && zstd -q -d -c '" + work.resolve("ref.tar.zst")
                + "' | tar -xf - -C '" + work.resolve("ref-out") + "'") : 0;
        sync();
        t2 = System.nanoTime();
        new RestoreCommand(repo, "2026-01-01t00-00-00").volume("data", work.resolve("restored")).call();
        long t3 = System.nanoTime();
        double[] times = {tar, (t1 - t0) / 1e9, second, untar, (t3 - t2) / 1e9};
        try (Stream<Path> s = Files.walk(work)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return times;
    }
}
