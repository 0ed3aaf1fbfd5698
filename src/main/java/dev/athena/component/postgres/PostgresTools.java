package dev.athena.component.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.athena.component.ExternalCommand;

/**
 * Finds pg_dump, pg_dumpall, pg_restore and psql of a version that can handle the server (their
 * major version at least the server's), and runs them with the connection in the environment.
 */
final class PostgresTools {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private final PostgresSettings settings;
    private final Path bin;
    final int major;

    private PostgresTools(PostgresSettings settings, Path bin, int major) {
        this.settings = settings;
        this.bin = bin;
        this.major = major;
    }

    /** Tools able to work with a server of major version {@code serverMajor}; a clear error naming what to install otherwise. */
    static PostgresTools find(PostgresSettings settings, int serverMajor) throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        settings.binDir().ifPresent(candidates::add);
        if (settings.binDir().isEmpty()) {
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (var dirs = Files.list(debian)) {
                    dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                            .sorted((a, b) -> Integer.compare(Integer.parseInt(b.getFileName().toString()), Integer.parseInt(a.getFileName().toString())))
                            .forEach(d -> candidates.add(d.resolve("bin")));
                }
            }
            candidates.add(null); // the PATH
        }
        String found = null;
        for (Path dir : candidates) {
            String pgDump = dir == null ? "pg_dump" : dir.resolve("pg_dump").toString();
            if (dir != null && !Files.isExecutable(Path.of(pgDump))) {
                continue;
            }
            ExternalCommand.Result r;
            try {
                r = ExternalCommand.of(pgDump, "--version").run();
            } catch (IOException e) {
                continue;
            }
            Matcher m = VERSION.matcher(r.stdout());
            if (!r.ok() || !m.find()) {
                continue;
            }
            int major = Integer.parseInt(m.group(1));
            if (major >= serverMajor) {
                for (String tool : List.of("pg_dumpall", "pg_restore", "psql")) {
                    if (dir != null && !Files.isExecutable(dir.resolve(tool))) {
                        throw new IOException(tool + " is missing from " + dir + ": install postgresql-client-" + major);
                    }
                }
                return new PostgresTools(settings, dir, major);
            }
            found = found == null ? "pg_dump " + major + " (" + pgDump + ")" : found;
        }
        throw new IOException((found == null ? "pg_dump, pg_restore and psql were not found" : found + " is older than the server")
                + ": install postgresql-client-" + serverMajor + " (or newer), or set POSTGRES_BIN_DIR to its bin folder");
    }

    private String tool(String name) {
        return bin == null ? name : bin.resolve(name).toString();
    }

    /** The server connection, given through the environment: the password never reaches a command line. */
    Map<String, String> environment(String database) {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", settings.host());
        env.put("PGPORT", Integer.toString(settings.port()));
        env.put("PGUSER", settings.user());
        env.put("PGDATABASE", database);
        env.put("PGCONNECT_TIMEOUT", "15");
        env.put("PGAPPNAME", "athena");
        env.put("PGSSLMODE", settings.sslMode());
        settings.sslRootCert().ifPresent(cert -> env.put("PGSSLROOTCERT", cert.toString()));
        if (settings.password() != null) {
            env.put("PGPASSWORD", settings.password());
        }
        return env;
    }

    ExternalCommand command(String database, String toolName, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool(toolName));
        cmd.addAll(List.of(args));
        return new ExternalCommand(cmd, environment(database));
    }
}
