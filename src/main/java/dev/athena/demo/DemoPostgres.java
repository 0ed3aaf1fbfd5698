package dev.athena.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.athena.component.ExternalCommand;

/**
 * A throw-away PostgreSQL cluster for the demo, when PostgreSQL's server binaries are installed.
 * PostgreSQL refuses to run as root, so as root it runs as the postgres user.
 */
final class DemoPostgres implements AutoCloseable {
    static final String PASSWORD = "demo-password";
    private final Path bin;
    private final Path dir;
    final int port;
    private final boolean asPostgresUser;

    private DemoPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    static Optional<Path> findBin() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(base)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb"))).max(Path::compareTo);
        }
    }

    /** Starts a cluster in {@code dir}, a folder inside the demo's {@code root}. */
    static DemoPostgres start(Path bin, Path dir, Path demoRoot) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir);
        if (root) {
            // The postgres user must be able to reach its folder: open the demo's own folders on the way.
            for (Path p = dir.getParent(); p != null && p.startsWith(demoRoot); p = p.getParent()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            ExternalCommand.of("chown", "postgres:postgres", dir.toString()).check();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DemoPostgres pg = new DemoPostgres(bin, dir, port, root);
        Path pw = dir.resolve("pwfile");
        Files.writeString(pw, PASSWORD + "\n");
        if (root) {
            ExternalCommand.of("chown", "postgres:postgres", pw.toString()).check();
        }
        pg.run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pw, "-N");
        Files.delete(pw);
        pg.run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
        return pg;
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        new ExternalCommand(full, Map.of()).check();
    }

    void psql(String database, String sql) throws IOException, InterruptedException {
        new ExternalCommand(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-U", "postgres", "-d", database, "-c", sql), Map.of("PGPASSWORD", PASSWORD)).check();
    }

    @Override
    public void close() {
        try {
            run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
        } catch (IOException | InterruptedException e) {
            // already stopped
        }
    }
}
