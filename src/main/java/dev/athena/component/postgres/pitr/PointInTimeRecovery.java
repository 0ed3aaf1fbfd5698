package dev.athena.component.postgres.pitr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.athena.component.ExternalCommand;

/**
 * Recovers the platform's PostgreSQL cluster to a chosen moment: the base backup before it, then
 * the archived WAL replayed up to {@code recovery_target_time} and the server promoted. Without a
 * moment, to the end of the base backup (or, for a backup that kept an earlier one, to its own WAL
 * position). {@link #run} does it in the cluster's own data folder; {@link ScratchServer} in a
 * scratch server, with the same {@link #prepare} and {@link #recoverySettings}.
 *
 * <p>Nothing is written before {@link #precheck} passed (the base backup itself is read back by the component's pre-restore check): the
 * WAL from the base backup on is in the archive without a missing segment. Then the server is
 * stopped (POSTGRES_STOP_COMMAND) and found stopped, the data folder is moved aside whole (kept
 * beside, as {@code NAME.before-athena-...}: nothing is lost), the base backup unpacked into a new
 * one, the WAL staged in it, the recovery settings written, and the server started
 * (POSTGRES_START_COMMAND). Athena waits for the promotion, removes the recovery settings and the
 * staged WAL, and reports the last transaction replayed.
 */
public final class PointInTimeRecovery {
    private static final Logger log = LoggerFactory.getLogger(PointInTimeRecovery.class);
    static final String STAGED_WAL = "athena_recovery_wal";
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    /** The target that means "as late as the archive reaches": every archived transaction is replayed (the usual disaster). */
    public static final Instant LATEST = dev.athena.component.Component.LATEST;
    /** Whether the server has left recovery, the last replayed transaction's commit time, and its timeline. */
    static final String PROMOTION_QUERY = "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), (SELECT timeline_id FROM pg_control_checkpoint())";

    /**
     * The base backup restored from: where its WAL starts and ends, and on which timeline; {@code recoveryLsn}, for a backup
     * that kept an earlier base backup, the WAL position of its own capture (a restore without a target replays to it), else null.
     */
    public record Base(long startLsn, long endLsn, int timeline, Long recoveryLsn) {
        public Base(long startLsn, long endLsn, int timeline) {
            this(startLsn, endLsn, timeline, null);
        }
    }

    /** Where the recovered cluster lives and how the server is stopped and started. */
    public record Placement(Path dataDir, String stopCommand, String startCommand, ServerAddress server, Duration timeout) {
    }

    /** What the recovery reached: the moment asked for, the last transaction replayed, and where the old data folder was kept. */
    public record Outcome(String target, String lastReplayedTransaction, String timeline, String previousDataKeptAt, int walSegmentsReplayed) {
    }

    private final Callable<InputStream> baseTar;
    private final Base base;
    private final WalArchive archive;
    private final Optional<Instant> target;
    private final Clock clock;

    public PointInTimeRecovery(Callable<InputStream> baseTar, Base base, WalArchive archive, Optional<Instant> target, Clock clock) {
        this.baseTar = baseTar;
        this.base = base;
        this.archive = archive;
        this.target = target;
        this.clock = clock;
    }

    /** The moment recovered to, in words: a time, every archived transaction, or the end of the base backup. */
    public String goal() {
        return target.map(t -> t.equals(LATEST) ? "the end of the archived WAL" : t.toString()).orElse(base.recoveryLsn() == null
                ? "the end of the base backup" : "the backup's own moment (WAL position " + WalPosition.format(base.recoveryLsn()) + ")");
    }

    /**
     * The WAL from the base backup's start on, oldest first, each segment once (the complete one
     * rather than a partial of the same name). {@link IOException} naming the first missing segment
     * when the chain has a hole, and the latest position still reachable.
     */
    public List<WalArchive.Entry> walChain() throws IOException {
        if (archive.info() == null && target.isEmpty() && base.recoveryLsn() == null) {
            return List.of();
        }
        List<WalArchive.Entry> chain = archive.chain(base);
        if (target.isPresent() && chain.isEmpty()) {
            throw new IOException("the archive holds no WAL from the base backup on: no moment after it can be reached");
        }
        return chain;
    }

    /** Everything that can be checked without writing: the archive's WAL chain, the data folder, the commands. */
    public List<WalArchive.Entry> precheck(Placement placement) throws Exception {
        List<WalArchive.Entry> chain = walChain();
        Path data = placement.dataDir();
        if (!Files.isDirectory(data.getParent()) || !Files.isWritable(data.getParent())) {
            throw new IOException("POSTGRES_DATA_DIR " + data + ": its parent folder is not writable here, so the data folder cannot be set aside"
                    + " and replaced");
        }
        // The base backup's own pieces are read back and hash-checked by the component's pre-restore check, with every other component's.
        return chain;
    }

    /** Recovers the cluster in its own data folder, between the placement's stop and start commands. */
    public Outcome run(Placement placement) throws Exception {
        List<WalArchive.Entry> chain = precheck(placement);
        Path data = placement.dataDir();
        command("POSTGRES_STOP_COMMAND", placement.stopCommand(), placement.timeout());
        if (Files.exists(data.resolve("postmaster.pid"))) {
            throw new IOException("PostgreSQL still runs on " + data + " (postmaster.pid is there) after POSTGRES_STOP_COMMAND: nothing was changed");
        }
        UserPrincipal owner = Files.exists(data) ? Files.getOwner(data, LinkOption.NOFOLLOW_LINKS) : null;
        String stamp = clock.instant().toString().replace(":", "-");
        Path keptAt = data.resolveSibling(data.getFileName() + ".before-athena-" + stamp);
        if (Files.exists(data)) {
            Files.move(data, keptAt);
            log.info("point-in-time restore: the data folder {} was moved aside to {}", data, keptAt);
        }
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = prepare(data, chain);
        Files.writeString(data.resolve("postgresql.auto.conf"), "\n" + String.join("\n", recoverySettings(staged, chain)) + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (owner != null && isRoot()) {
            chown(data, owner);
        }
        command("POSTGRES_START_COMMAND", placement.startCommand(), placement.timeout());
        String[] reached = awaitPromotion(placement);
        // The new timeline's history goes into the archive at once: a recovery started before the archiver has seen it must not reuse it.
        Path history = data.resolve("pg_wal").resolve(WalArchive.historyName(Integer.parseInt(reached[1])));
        if (Files.exists(history)) {
            archive.putHistory(Integer.parseInt(reached[1]), Files.readAllBytes(history));
        }
        cleanUp(placement, data, staged);
        return new Outcome(goal(), reached[0], reached[1], keptAt.toString(), chain.size());
    }

    /**
     * The base backup unpacked into the empty folder {@code data}, the WAL chain and every timeline's history staged in it,
     * and {@code recovery.signal} written. Returns the folder of the staged WAL, for {@link #recoverySettings}.
     */
    Path prepare(Path data, List<WalArchive.Entry> chain) throws Exception {
        untar(data);
        Path staged = Files.createDirectory(data.resolve(STAGED_WAL));
        WalArchive.Info info = archive.info();
        for (WalArchive.Entry e : chain) {
            byte[] bytes = archive.read(e);
            if (bytes.length == 0) {
                continue; // the empty partial that marks the archive's end
            }
            // A partial segment is padded to full size, as PostgreSQL expects a segment file to be: recovery ends where its records end.
            byte[] whole = e.partial() ? java.util.Arrays.copyOf(bytes, (int) info.segmentSize()) : bytes;
            Files.write(staged.resolve(e.name()), whole);
        }
        // Every timeline the archive knows of: at promotion the server takes a new one above them all, never one already used.
        for (java.util.Map.Entry<String, byte[]> h : archive.histories().entrySet()) {
            Files.write(staged.resolve(h.getKey()), h.getValue());
        }
        Files.createFile(data.resolve("recovery.signal"));
        return staged;
    }

    private void untar(Path data) throws Exception {
        Process tar = new ProcessBuilder("tar", "-x", "-f", "-", "-C", data.toString()).redirectErrorStream(true).start();
        try (InputStream in = baseTar.call(); OutputStream out = tar.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            tar.destroyForcibly();
            throw new IOException("cannot unpack the base backup into " + data + ": " + e.getMessage(), e);
        }
        String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (tar.waitFor() != 0) {
            throw new IOException("tar could not unpack the base backup into " + data + ": " + ExternalCommand.lastLines(said, 5));
        }
    }

    /** The settings that make the server replay the staged WAL to the target and then promote itself. */
    List<String> recoverySettings(Path staged, List<WalArchive.Entry> chain) {
        List<String> lines = new ArrayList<>();
        Optional<Instant> lastCommit = target.isPresent() && !target.get().equals(LATEST) && !chain.isEmpty()
                ? LastCommit.inStaged(staged, chain) : Optional.empty();
        lines.add("# written by Athena for a point-in-time restore; removed once the server is promoted");
        lines.add("restore_command = 'cp \"" + staged + "/%f\" \"%p\"'");
        if (target.isPresent() && target.get().equals(LATEST)) {
            lines.add("# no recovery target: every archived transaction is replayed");
        } else if (target.isPresent() && lastCommit.isPresent() && !target.get().isBefore(lastCommit.get())) {
            // PostgreSQL refuses to promote at a target it never passes: one after every archived commit means all of them.
            lines.add("# the target is after the last archived commit (" + lastCommit.get() + "): every archived transaction is replayed");
        } else if (target.isPresent()) {
            lines.add("recovery_target_time = '" + PG_TIME.format(target.get()) + "'");
        } else if (base.recoveryLsn() != null) {
            lines.add("recovery_target_lsn = '" + WalPosition.format(base.recoveryLsn()) + "'");
        } else {
            lines.add("recovery_target = 'immediate'");
        }
        lines.add("recovery_target_action = 'promote'");
        // The base backup's own timeline, not a later one some earlier recovery started.
        lines.add("recovery_target_timeline = 'current'");
        return lines;
    }

    /** Athena runs as root (the tests; an image run so): PostgreSQL refuses to, so its folders go to the server's user. */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code folder} and everything in it given to {@code owner}: the server's user, who owned the old data folder or runs the scratch server. */
    static void chown(Path folder, UserPrincipal owner) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.toList()) {
                Files.setOwner(p, owner);
            }
        }
    }

    private static void command(String variable, String command, Duration timeout) throws IOException, InterruptedException {
        ExternalCommand.Result r = new ExternalCommand(List.of("/bin/sh", "-c", command), java.util.Map.of()).timeout(timeout).run();
        if (!r.ok()) {
            throw new IOException(variable + " failed (exit " + r.exitCode() + "): " + ExternalCommand.lastLines(r.stderr() + r.stdout(), 5));
        }
    }

    /** Waits until the server answers and has left recovery; returns the last replayed transaction's time and the timeline. */
    private String[] awaitPromotion(Placement placement) throws IOException, InterruptedException {
        Instant deadline = clock.instant().plus(placement.timeout());
        String lastError = "it did not answer";
        while (clock.instant().isBefore(deadline)) {
            try (Connection c = DriverManager.getConnection(placement.server().jdbcUrl("postgres"), placement.server().jdbcProperties());
                 Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery(PROMOTION_QUERY)) {
                    r.next();
                    if (!r.getBoolean(1)) {
                        java.sql.Timestamp last = r.getTimestamp(2);
                        return new String[] {last == null ? null : last.toInstant().toString(), Integer.toString(r.getInt(3))};
                    }
                    lastError = "it is still recovering";
                }
            } catch (SQLException e) {
                lastError = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new IOException("PostgreSQL did not finish recovering within " + placement.timeout().toMinutes() + " minutes (" + lastError
                + "): see the server's log; a target after the last archived WAL cannot be reached");
    }

    /** The recovery settings go (ALTER SYSTEM rewrites postgresql.auto.conf without them), and so does the staged WAL. */
    private static void cleanUp(Placement placement, Path data, Path staged) throws IOException {
        try (Connection c = DriverManager.getConnection(placement.server().jdbcUrl("postgres"), placement.server().jdbcProperties());
             Statement s = c.createStatement()) {
            for (String setting : List.of("restore_command", "recovery_target_time", "recovery_target_lsn", "recovery_target", "recovery_target_action",
                    "recovery_target_timeline")) {
                s.execute("ALTER SYSTEM RESET " + setting);
            }
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            log.warn("point-in-time restore: cannot remove the recovery settings from {}/postgresql.auto.conf: {}", data, e.getMessage());
        }
        try (Stream<Path> all = Files.walk(staged)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
