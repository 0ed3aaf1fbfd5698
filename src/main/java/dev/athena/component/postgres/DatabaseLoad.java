package dev.athena.component.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.postgresql.PGConnection;

import dev.athena.component.ExternalCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a backed-up database into an empty one, in pg_restore's order: the schema ({@code
 * --section=pre-data}), then the rows, then indexes, constraints and triggers ({@code
 * --section=post-data}, in parallel). The rows come from two places at once, on {@link
 * PostgresSettings#jobs()} workers: pg_restore's {@code --section=data} for the tables inside the
 * archive, and {@code COPY ... FROM STDIN} for each streamed table, fed straight from the
 * repository (each chunk checked against its hash as it is read), so the large tables are never
 * staged on disk. A backup without streamed tables is one {@code pg_restore -j}.
 */
final class DatabaseLoad {
    private static final Logger log = LoggerFactory.getLogger(DatabaseLoad.class);
    /** Opens a streamed table's stored rows. */
    @FunctionalInterface
    interface Rows {
        InputStream open(TableStream table) throws IOException;
    }

    /** Session settings pg_restore uses while it loads rows. */
    private static final List<String> LOAD_SETTINGS = List.of("SET DateStyle = ISO", "SET IntervalStyle = postgres", "SET xmloption = content",
            "SET row_security = off", "SELECT pg_catalog.set_config('search_path', '', false)", "SET statement_timeout = 0",
            "SET lock_timeout = 0", "SET idle_in_transaction_session_timeout = 0");

    private final PostgresComponent component;
    private final PostgresTools tools;
    private final PostgresSettings settings;

    DatabaseLoad(PostgresComponent component, PostgresTools tools, PostgresSettings settings) {
        this.component = component;
        this.tools = tools;
        this.settings = settings;
    }

    void into(String target, PostgresComponent.Database db, Path archive, Rows rows) throws Exception {
        String jobs = Integer.toString(settings.jobs());
        if (db.streams().isEmpty()) {
            pgRestore(target, archive, "-j", jobs);
            return;
        }
        long t0 = System.nanoTime();
        pgRestore(target, archive, "--section=pre-data");
        long t1 = System.nanoTime();
        List<SessionPool.Sized> tasks = new ArrayList<>();
        tasks.add(new SessionPool.Sized(db.archiveBytes(), session -> pgRestore(target, archive, session, "--section=data")));
        // A table's parts load one after another, in order, in one session: its rows land in the order
        // of the source's scan, so the restored table dumps exactly as the source does.
        Map<String, List<TableStream>> byTable = new LinkedHashMap<>();
        db.streams().forEach(t -> byTable.computeIfAbsent(t.display(), k -> new ArrayList<>()).add(t));
        for (List<TableStream> parts : byTable.values()) {
            tasks.add(new SessionPool.Sized(parts.stream().mapToLong(TableStream::bytes).sum(), session -> {
                for (TableStream t : parts) {
                    copyIn(session.get(), t, db.encoding(), rows, expectedRows(db, t));
                }
            }));
        }
        SessionPool.runLargestFirst("athena-load", settings.jobs(), () -> component.connect(target, LOAD_SETTINGS), tasks);
        long t2 = System.nanoTime();
        pgRestore(target, archive, "--section=post-data", "-j", jobs);
        log.info("loaded database {}: schema {} s, rows {} s (streams: {}), indexes and constraints {} s", db.name(), seconds(t1 - t0),
                seconds(t2 - t1), db.streams().size(), seconds(System.nanoTime() - t2));
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    /** The rows a stream holds: recorded with it, or for a table in one stream, the table's count. */
    private static Long expectedRows(PostgresComponent.Database db, TableStream t) {
        if (t.rows() != null) {
            return t.rows();
        }
        boolean whole = db.streams().stream().filter(s -> s.display().equals(t.display())).count() == 1;
        return whole ? db.tables().get(t.display()) : null;
    }

    private void pgRestore(String target, Path archive, String... options) throws IOException, InterruptedException {
        pgRestore(target, archive, null, options);
    }

    /** pg_restore; inside the pool, {@code session} can stop it when another part of the load fails. */
    private void pgRestore(String target, Path archive, SessionPool.Session session, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-d", target, "--exit-on-error"));
        args.addAll(List.of(options));
        args.add(archive.toString());
        ExternalCommand command = tools.command(target, "pg_restore", args.toArray(String[]::new));
        if (session != null) {
            command.whenStarted(p -> session.onAbort(p::destroyForcibly));
        }
        command.check();
    }

    /**
     * COPY in the source database's encoding, as pg_restore loads it: the bytes are taken as they
     * were written. A table that loads another number of rows than its dump's snapshot held fails
     * the load, before the database is swapped in.
     */
    private static void copyIn(Connection session, TableStream t, String encoding, Rows rows, Long expected) throws IOException {
        long loaded;
        try (InputStream in = rows.open(t)) {
            loaded = session.unwrap(PGConnection.class).getCopyAPI().copyIn(t.copyIn(encoding), in, 256 * 1024);
        } catch (SQLException | IOException | RuntimeException e) {
            throw new IOException("loading table " + t.display() + " failed: " + e.getMessage(), e);
        }
        if (expected != null && loaded != expected) {
            throw new IOException("loading table " + t.display() + " gave " + loaded + " rows, the backup holds " + expected);
        }
    }
}
