package dev.athena.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real PostgreSQL 15 cluster started by the tests. PostgreSQL refuses to run as root, so it runs
 * as the {@code postgres} user, in a folder that user owns, on a free port with its own socket folder.
 * Local connections are trusted; TCP connections need the password, as in a real deployment.
 */
public final class PostgresCluster implements AutoCloseable {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    public static final String PASSWORD = "s3cret-pg-password";
    private final Path dir;
    public final int port;

    public PostgresCluster(String name) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("athena-pg-" + name + "-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        run("chown", "postgres:postgres", dir.toString());
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, PASSWORD + "\n");
        run("chown", "postgres:postgres", pw.toString());
        asPostgres(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-E", "UTF8",
                "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pw, "-N");
        Files.delete(pw);
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", "start");
    }

    /**
     * Turns TLS on with this certificate and key, and refuses every TCP connection that is not
     * encrypted (as a managed database that enforces SSL does). The socket stays open to the tests.
     */
    public void requireTls(Path certificate, Path key) throws Exception {
        Path data = dir.resolve("data");
        Files.copy(certificate, data.resolve("server.crt"));
        Files.copy(key, data.resolve("server.key"));
        Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        run("chown", "postgres:postgres", data.resolve("server.crt").toString(), data.resolve("server.key").toString());
        Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "hostssl all all 127.0.0.1/32 scram-sha-256",
                "hostnossl all all 127.0.0.1/32 reject", ""));
        asPostgres(BIN.resolve("psql").toString(), "-X", "-q", "-h", dir.toString(), "-p", Integer.toString(port), "-d", "postgres",
                "-c", "ALTER SYSTEM SET ssl = on", "-c", "SELECT pg_reload_conf()");
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private void asPostgres(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(List.of(cmd));
        run(full.toArray(String[]::new));
    }

    /** The cluster's data folder (owned by postgres; the tests, as root, may read it). */
    public Path dataDir() {
        return dir.resolve("data");
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", PASSWORD);
    }

    /** The first column of the first row of a query, as text. */
    public String query(String database, String sql) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /** The first column of every row of a query, as integers (ids, in the query's order). */
    public List<Integer> ints(String database, String sql) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Connection c = connect(database); Statement s = c.createStatement(); java.sql.ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getInt(1));
            }
        }
        return out;
    }

    /** Runs SQL statements, one per string, in one database. */
    public void sql(String database, String... statements) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Runs a SQL script with psql (for scripts with COPY, DO blocks, large objects). */
    public void psql(String database, String script) throws IOException, InterruptedException {
        Path f = dir.resolve("script-" + System.nanoTime() + ".sql");
        Files.writeString(f, script);
        run("chmod", "644", f.toString());
        asPostgres(BIN.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(), "-p",
                Integer.toString(port), "-d", database, "-f", f.toString());
    }

    /** A plain-SQL dump of one database (with its CREATE DATABASE and properties), for comparing clusters. */
    public String dump(String database) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", BIN.resolve("pg_dump").toString(), "--create",
                "-h", dir.toString(), "-p", Integer.toString(port), "-d", database).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (p.waitFor() != 0) {
            throw new IOException("pg_dump " + database + " failed");
        }
        // pg_dump 15.14+ fences its output with a random \\restrict key: not part of the data.
        return out.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    public String dumpGlobals() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", BIN.resolve("pg_dumpall").toString(), "--globals-only",
                "-h", dir.toString(), "-p", Integer.toString(port)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    /** Stops the server (sessions are ended, as a crash or a failover would) and starts it again on the same port. */
    public void restart() throws IOException, InterruptedException {
        // -l: the restarted server's output goes to its log, not to pg_ctl's pipe (which would then never close).
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-m", "immediate",
                "-w", "restart");
    }

    /** A shell command that stops this server, as POSTGRES_STOP_COMMAND would (as the postgres user). */
    public String stopCommand() {
        return "runuser -u postgres -- " + BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop";
    }

    /** A shell command that starts this server again on its port, as POSTGRES_START_COMMAND would. */
    public String startCommand() {
        return "runuser -u postgres -- " + BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("log") + " -w -t 120"
                + " -o '-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50' start";
    }

    public void stop() throws IOException, InterruptedException {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } catch (IOException e) {
            // already stopped
        }
        run("rm", "-rf", dir.toString());
    }
}
