package dev.athena.component.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.component.postgres.pitr.ScratchServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a cluster recovered in a {@link ScratchServer} into the destination logically: the
 * scratch server's roles and each of its databases dumped ({@code pg_dumpall --globals-only},
 * {@code pg_dump -Fc}) with every table's row count, then loaded into the destination the way a
 * logical restore loads a backup: roles first, each database beside its namesake and swapped in
 * only once it has loaded ({@link DatabaseSwap}). The destination may run a newer major version.
 */
final class ScratchLoad {
    private static final Logger log = LoggerFactory.getLogger(ScratchLoad.class);

    /** What was dumped from the scratch server: each database (its tables' row counts included), the roles, the dump files. */
    record Dumped(int major, List<PostgresComponent.Database> databases, Path globals, Map<String, Path> dumps, Map<String, String> sourceNames) {
    }

    private ScratchLoad() {
    }

    /**
     * The recovered databases (those POSTGRES_DATABASES names, when it names any) and the roles
     * dumped into {@code work}. Row counts are taken before the dumps, on a server nothing else writes to.
     */
    static Dumped dump(ScratchServer scratch, PostgresSettings destination, int major, Path work, Map<String, String> only) throws Exception {
        List<PostgresComponent.Database> databases = new ArrayList<>();
        List<String> sourceNames = new ArrayList<>();
        for (List<String> row : scratch.query("postgres", PostgresComponent.databasesQuery(major * 10000))) {
            String name = row.get(0);
            if (only != null ? !only.containsKey(name) : !destination.databases().isEmpty() && !destination.databases().contains(name)) {
                continue;
            }
            PostgresComponent.Database db = new PostgresComponent.Database(name, row.get(1), row.get(2), row.get(3), row.get(4),
                    nullIfEmpty(row.get(5)), row.get(6), Integer.parseInt(row.get(7)), Long.parseLong(row.get(8)), rowCounts(scratch, name), null, 0,
                    List.of());
            databases.add(only == null ? db : db.named(only.get(name)));
            sourceNames.add(name);
        }
        PostgresSettings source = new PostgresSettings(scratch.socketFolder().toString(), scratch.port(), scratch.role(), null, List.of(),
                destination.binDir(), destination.scratch(), destination.jobs());
        PostgresTools tools = PostgresTools.find(source, major);
        Path globals = work.resolve(PostgresComponent.GLOBALS);
        tools.command("postgres", "pg_dumpall", "--globals-only", "-f", globals.toString()).check();
        Map<String, Path> dumps = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < databases.size(); i++) {
            String name = sourceNames.get(i);
            Path file = work.resolve("database-" + i + ".dump");
            tools.command(name, "pg_dump", "-Fc", "-Z0", "--create", "-f", file.toString()).check();
            dumps.put(databases.get(i).name(), file);
            sources.put(databases.get(i).name(), name);
            log.info("point-in-time restore: dumped database {} from the scratch server ({} bytes)", name, Files.size(file));
        }
        return new Dumped(major, databases, globals, dumps, sources);
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Every counted table's rows, in one query (each count run through query_to_xml), keyed schema.table as {@link PostgresComponent#countRows}. */
    private static Map<String, Long> rowCounts(ScratchServer scratch, String database) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (List<String> row : scratch.query(database, "SELECT n.nspname || '.' || c.relname,"
                + " (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1]::text"
                + PostgresComponent.USER_TABLES + " ORDER BY n.nspname, c.relname")) {
            counts.put(row.get(0), Long.parseLong(row.get(1)));
        }
        return counts;
    }

    /**
     * Loads what was dumped into the destination: the roles (but the one Athena connects as; only with {@code roles}, as some
     * databases leave the cluster's roles alone), then each database under its name here, swapped in whole.
     */
    static void load(PostgresComponent destination, PostgresSettings settings, Dumped dumped, boolean roles) throws Exception {
        try (Connection admin = destination.connect("postgres")) {
            PostgresTools tools = destination.destinationTools(admin, dumped.major());
            if (roles) {
                destination.restoreGlobals(tools, admin, dumped.globals());
            }
            for (PostgresComponent.Database db : dumped.databases()) {
                Path file = dumped.dumps().get(db.name());
                new DatabaseSwap(destination, tools, settings).restore(db, dumped.sourceNames().get(db.name()), file, t -> {
                    throw new java.io.IOException("a database dumped from the scratch server has no streamed tables");
                });
                Files.delete(file);
            }
        }
    }
}
