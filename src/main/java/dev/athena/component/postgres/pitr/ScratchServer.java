package dev.athena.component.postgres.pitr;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.athena.component.ExternalCommand;

/**
 * A throwaway PostgreSQL server, of the backup's major version, that a point-in-time restore
 * recovers the base backup and its WAL in when the result is to be loaded logically into a
 * destination that stays up (or runs another major version).
 *
 * <p>It lives in a private folder under the scratch directory ({@code athena-pitr-*}, mode 0700)
 * and listens on no network address: only on a Unix socket in that folder, with a port chosen
 * free so that nothing else's socket or shared memory is in the way. Its connections are trusted
 * because only the folder's owner (and root) can reach the socket. The source's own server
 * settings are replaced, not used: they may name libraries, certificates or an archive command
 * of the source's machine, and a scratch copy must never archive into the source's WAL archive.
 * {@code hot_standby} is off, so the source's {@code max_connections} and the like need not be
 * matched; the server takes connections only once it has been promoted.
 *
 * <p>PostgreSQL refuses to run as root: Athena running as root starts it as the system user
 * {@code postgres}. {@link #close} stops it and deletes the folder; {@link #removeLeftovers}
 * does the same for a folder a killed Athena left behind.
 */
public final class ScratchServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScratchServer.class);
    public static final String FOLDER_PREFIX = "athena-pitr-";
    private static final String SERVER_USER = "postgres";
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    /** The server programs of one major version: postgres, pg_ctl and psql. */
    public record Binaries(Path dir, int major) {
        /** The binaries of exactly {@code major}: in POSTGRES_BIN_DIR, else Debian's /usr/lib/postgresql/MAJOR/bin; a clear error otherwise. */
        public static Binaries find(int major, Optional<Path> binDir) throws IOException, InterruptedException {
            List<Path> candidates = new ArrayList<>();
            binDir.ifPresent(candidates::add);
            candidates.add(Path.of("/usr/lib/postgresql", Integer.toString(major), "bin"));
            List<String> seen = new ArrayList<>();
            for (Path dir : candidates) {
                Path postgres = dir.resolve("postgres");
                if (!Files.isExecutable(postgres) || !Files.isExecutable(dir.resolve("pg_ctl")) || !Files.isExecutable(dir.resolve("psql"))) {
                    continue;
                }
                ExternalCommand.Result r = ExternalCommand.of(postgres.toString(), "--version").run();
                Matcher m = VERSION.matcher(r.stdout());
                if (r.ok() && m.find()) {
                    if (Integer.parseInt(m.group(1)) == major) {
                        return new Binaries(dir, major);
                    }
                    seen.add(postgres + " is PostgreSQL " + m.group(1));
                }
            }
            throw new IOException("recovering a base backup of PostgreSQL " + major + " outside its data folder needs the server programs of PostgreSQL "
                    + major + " (postgres, pg_ctl, psql)" + (seen.isEmpty() ? "" : "; " + String.join(", ", seen)) + ": install postgresql-" + major
                    + " (Athena's image ships them), set POSTGRES_BIN_DIR to their folder, or set POSTGRES_DATA_DIR to recover in place");
        }

        Path tool(String name) {
            return dir.resolve(name);
        }
    }

    private final Path folder;
    private final Path data;
    private final int port;
    private final Binaries binaries;
    private final Duration timeout;
    private final Clock clock;
    private String role;

    private ScratchServer(Path folder, int port, Binaries binaries, Duration timeout, Clock clock) {
        this.folder = folder;
        this.data = folder.resolve("data");
        this.port = port;
        this.binaries = binaries;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Recovers {@code recovery}'s base backup and WAL chain in a new scratch server under {@code
     * scratch} and waits for its promotion. {@code roles} are tried in turn to connect as (the
     * recovered cluster's superuser is whichever of them it has).
     */
    public static ScratchServer recover(PointInTimeRecovery recovery, List<WalArchive.Entry> chain, Path scratch, Binaries binaries,
                                        List<String> roles, Duration timeout, Clock clock) throws Exception {
        checkReachable(scratch);
        Path folder = Files.createTempDirectory(scratch, FOLDER_PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ScratchServer server = new ScratchServer(folder, freePort(), binaries, timeout, clock);
        try {
            server.start(recovery, chain);
            server.awaitPromotion(roles);
            return server;
        } catch (Exception e) {
            server.close();
            throw e;
        }
    }

    /**
     * The scratch folder exists, and (Athena running as root) the system user postgres can reach it: every folder above it
     * lets others through. Checked before anything is written.
     */
    public static void checkReachable(Path scratch) throws IOException {
        Files.createDirectories(scratch);
        if (!PointInTimeRecovery.isRoot()) {
            return;
        }
        for (Path p = scratch.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)
                    && !SERVER_USER.equals(Files.getOwner(p).getName())) {
                throw new IOException("the scratch server runs as the system user " + SERVER_USER + ", which cannot reach " + scratch + " (" + p
                        + " is closed to other users): set ATHENA_SCRATCH_DIR to a folder it can reach, or POSTGRES_DATA_DIR to recover in place");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void start(PointInTimeRecovery recovery, List<WalArchive.Entry> chain) throws Exception {
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = recovery.prepare(data, chain);
        for (String sourceOwn : List.of("postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "pg_ident.conf", "standby.signal")) {
            Files.deleteIfExists(data.resolve(sourceOwn));
        }
        List<String> conf = new ArrayList<>(List.of(
                "# written by Athena: a scratch server for a point-in-time restore, removed when the restore ends",
                "listen_addresses = ''",
                "port = " + port,
                "unix_socket_directories = '" + folder + "'",
                "hot_standby = off",
                "archive_mode = off",
                "shared_preload_libraries = ''",
                "ssl = off",
                "logging_collector = off"));
        conf.addAll(recovery.recoverySettings(staged, chain));
        Files.write(data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8);
        Files.writeString(data.resolve("postgresql.auto.conf"), "");
        Files.writeString(data.resolve("pg_hba.conf"), "# only the scratch folder's owner reaches this socket\nlocal all all trust\n");
        Files.writeString(data.resolve("pg_ident.conf"), "");
        if (PointInTimeRecovery.isRoot()) {
            chownToServerUser(folder);
        }
        ExternalCommand.Result r = run(List.of(binaries.tool("pg_ctl").toString(), "-D", data.toString(), "-l", log().toString(), "-W", "start"));
        if (!r.ok()) {
            throw new IOException("the scratch PostgreSQL server did not start: " + ExternalCommand.lastLines(r.stderr() + r.stdout(), 5));
        }
        log.info("point-in-time restore: a scratch PostgreSQL {} recovers in {} (socket port {})", binaries.major(), data, port);
    }

    private Path log() {
        return folder.resolve("server.log");
    }

    private static void chownToServerUser(Path folder) throws IOException {
        UserPrincipal user;
        try {
            user = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_USER);
        } catch (IOException e) {
            throw new IOException("Athena runs as root, and PostgreSQL refuses to: a scratch server needs the system user " + SERVER_USER
                    + " to run as (or run Athena as a user other than root)");
        }
        PointInTimeRecovery.chown(folder, user);
    }

    /** A command as the server's user: root hands it to the system user postgres. */
    private ExternalCommand.Result run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (PointInTimeRecovery.isRoot()) {
            full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        full.addAll(command);
        return new ExternalCommand(full, Map.of("PGCONNECT_TIMEOUT", "15")).timeout(timeout).run();
    }

    private void awaitPromotion(List<String> roles) throws IOException, InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        String lastError = "it did not answer";
        while (clock.instant().isBefore(deadline)) {
            if (!Files.exists(data.resolve("postmaster.pid")) && Files.exists(log()) && Files.size(log()) > 0 && !running()) {
                throw new IOException("the scratch PostgreSQL server stopped while recovering: " + ExternalCommand.lastLines(Files.readString(log()), 5));
            }
            for (String candidate : roles) {
                ExternalCommand.Result r = psql(candidate, "postgres", "SELECT pg_is_in_recovery()");
                if (r.ok()) {
                    role = candidate;
                    if ("f".equals(r.stdout().strip())) {
                        return;
                    }
                    lastError = "it is still recovering";
                    break;
                }
                lastError = r.stderr().strip();
                if (!lastError.contains("role \"" + candidate + "\" does not exist")) {
                    break;
                }
            }
            Thread.sleep(500);
        }
        throw new IOException("the scratch PostgreSQL server did not finish recovering within " + timeout.toMinutes() + " minutes (" + lastError
                + "; connected as one of " + roles + "): " + ExternalCommand.lastLines(Files.exists(log()) ? Files.readString(log()) : "", 5));
    }

    private boolean running() throws IOException, InterruptedException {
        return run(List.of(binaries.tool("pg_ctl").toString(), "-D", data.toString(), "status")).ok();
    }

    private ExternalCommand.Result psql(String asRole, String database, String sql) throws IOException, InterruptedException {
        return run(List.of(binaries.tool("psql").toString(), "-X", "-q", "-A", "-t", "-F", "\u001f", "-v", "ON_ERROR_STOP=1", "-h", folder.toString(),
                "-p", Integer.toString(port), "-U", asRole, "-d", database, "-c", sql));
    }

    /** The rows {@code sql} returns, each split into its columns. */
    public List<List<String>> query(String database, String sql) throws IOException, InterruptedException {
        ExternalCommand.Result r = psql(role, database, sql);
        if (!r.ok()) {
            throw new IOException("the scratch PostgreSQL server refused a query on " + database + ": " + r.stderr().strip());
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isEmpty()) {
                rows.add(List.of(line.split("\u001f", -1)));
            }
        }
        return rows;
    }

    /** What the recovery reached: the last replayed transaction's commit time (null: none after the base backup) and the new timeline. */
    public String[] reached() throws IOException, InterruptedException {
        List<String> row = query("postgres", "SELECT to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                + " (SELECT timeline_id FROM pg_control_checkpoint())").get(0);
        return new String[] {row.get(0).isEmpty() ? null : Instant.parse(row.get(0)).toString(), row.get(1)};
    }

    /** The Unix socket's folder: libpq's host for the server. */
    public Path socketFolder() {
        return folder;
    }

    public int port() {
        return port;
    }

    /** The superuser connected as. */
    public String role() {
        return role;
    }

    /** Where the server's data lives (for the log and the report). */
    public Path folder() {
        return folder;
    }

    /** Stops the server (fast: nothing in it is kept) and deletes its folder. */
    @Override
    public void close() {
        stop(data);
        dev.athena.component.ScratchFolder.delete(folder);
    }

    private void stop(Path dataDir) {
        if (binaries == null || !Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        try {
            ExternalCommand.Result r = run(List.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"));
            if (!r.ok()) {
                log.warn("cannot stop the scratch PostgreSQL server in {}: {}", dataDir, ExternalCommand.lastLines(r.stderr() + r.stdout(), 3));
            }
        } catch (IOException e) {
            log.warn("cannot stop the scratch PostgreSQL server in {}: {}", dataDir, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops and removes the scratch servers a killed Athena left under {@code scratch}: each is stopped with the binaries of
     * its own major version (its {@code PG_VERSION}, found as {@link Binaries#find} finds them), then its folder deleted.
     */
    public static void removeLeftovers(Path scratch, Optional<Path> binDir) {
        if (!Files.isDirectory(scratch)) {
            return;
        }
        List<Path> folders;
        try (Stream<Path> listed = Files.list(scratch)) {
            folders = listed.filter(f -> f.getFileName().toString().startsWith(FOLDER_PREFIX)).toList();
        } catch (IOException e) {
            log.warn("cannot look for scratch servers left in {}: {}", scratch, e.getMessage());
            return;
        }
        for (Path folder : folders) {
            log.warn("point-in-time restore: removing the scratch server a previous run left in {}", folder);
            Path version = folder.resolve("data").resolve("PG_VERSION");
            try {
                Binaries binaries = Files.exists(version) ? Binaries.find(Integer.parseInt(Files.readString(version).strip()), binDir) : null;
                new ScratchServer(folder, 0, binaries, Duration.ofMinutes(2), Clock.systemUTC()).close();
            } catch (IOException | RuntimeException e) {
                log.warn("cannot stop the scratch server in {} ({}): removing its folder", folder, e.getMessage());
                dev.athena.component.ScratchFolder.delete(folder);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
