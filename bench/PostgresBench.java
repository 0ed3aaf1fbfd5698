import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.athena.backup.BackupCommand;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;

/**
 * Athena's PostgreSQL backup and restore as the service runs them: one long-lived JVM, the JIT
 * warm from an earlier backup. Warms up with one throw-away backup and restore, then three times
 * runs pg_dump -Fd -j2, an Athena backup into a fresh repository, pg_restore -j2 into an empty
 * database, and an Athena restore (which replaces the database), each right after its reference;
 * prints the best time of each as "name seconds" lines.
 * The connection comes from PGHOST, PGPORT, PGUSER, PGPASSWORD, which the reference tools read too.
 * Run: java -cp target/athena.jar bench/PostgresBench.java BIN DATABASE WORK
 */
public class PostgresBench {
    public static void main(String[] args) throws Exception {
        Path bin = Path.of(args[0]);
        String database = args[1];
        Path work = Path.of(args[2]);
        PostgresSettings settings = new PostgresSettings(System.getenv("PGHOST"), Integer.parseInt(System.getenv("PGPORT")),
                System.getenv("PGUSER"), System.getenv("PGPASSWORD"), List.of(database), Optional.of(bin), work.resolve("scratch"), 2);
        round(bin, database, work, settings, false);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (int i = 0; i < 3; i++) {
            double[] times = round(bin, database, work, settings, true);
            System.err.printf("round %d: pg_dump %.3f backup %.3f pg_restore %.3f restore %.3f%n", i + 1, times[0], times[1], times[2], times[3]);
            for (int k = 0; k < best.length; k++) {
                best[k] = Math.min(best[k], times[k]);
            }
        }
        String[] names = {"warm_pg_dump", "warm_backup", "warm_pg_restore", "warm_restore"};
        for (int k = 0; k < names.length; k++) {
            System.out.printf("%s %.3f%n", names[k], best[k]);
        }
    }

    private static double[] round(Path bin, String database, Path work, PostgresSettings settings, boolean references) throws Exception {
        Path dump = work.resolve("warm-ref-dump");
        double pgDump = references ? shell("rm -rf '" + dump + "' && sync", bin + "/pg_dump -Fd -j2 -f '" + dump + "' -d " + database) : 0;
        Repository repo = Repository.open(new LocalStore(work.resolve("warm-repo")), "app", null, true);
        sync();
        long t0 = System.nanoTime();
        new BackupCommand(repo).component(new PostgresComponent(settings)).timestamp("2026-01-01t00-00-00").call();
        double backup = (System.nanoTime() - t0) / 1e9;
        double pgRestore = references
                ? shell(bin + "/dropdb --if-exists warm_ref && " + bin + "/createdb warm_ref && sync", bin + "/pg_restore -j2 -d warm_ref '" + dump + "'")
                : 0;
        if (references) {
            shell(bin + "/dropdb warm_ref", "true");
        }
        sync();
        long t1 = System.nanoTime();
        new RestoreCommand(repo, "2026-01-01t00-00-00").component(new PostgresComponent(settings)).call();
        double restore = (System.nanoTime() - t1) / 1e9;
        delete(work.resolve("warm-repo"));
        delete(dump);
        return new double[] {pgDump, backup, pgRestore, restore};
    }

    /** Runs {@code setup} untimed, then {@code command}, and returns the command's wall time in seconds. */
    private static double shell(String setup, String command) throws Exception {
        run(setup);
        long t0 = System.nanoTime();
        run(command);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void run(String command) throws Exception {
        if (new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(command + " failed");
        }
    }

    private static void sync() throws Exception {
        run("sync");
    }

    private static void delete(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
