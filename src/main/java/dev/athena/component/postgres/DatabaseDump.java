package dev.athena.component.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.athena.component.ExternalCommand;
import dev.athena.volume.VirtualTree;

/**
 * Dumps one database, consistently and in parallel, straight into the repository. One session
 * exports a snapshot; in that snapshot:
 * <ul>
 * <li>each table of at least {@link PostgresSettings#streamTableBytes()} is copied as its own
 * stream ({@link TableStream}) by a pool of {@link PostgresSettings#jobs()} sessions;</li>
 * <li>pg_dump ({@code -Fc -Z0}, uncompressed so the repository's chunking finds what is
 * unchanged) dumps everything else, the streamed tables' definitions included, as one of the
 * pool's tasks;</li>
 * <li>a further session counts the rows of the tables in pg_dump's archive (a streamed table's
 * COPY counts its own), so the counts are exactly what the dump holds.</li>
 * </ul>
 * A single pg_dump stream is limited by the one server process that runs its COPYs; several
 * streams keep every core busy, and each large table chunks on its own, so it deduplicates
 * against the previous backup whatever happened to the other tables.
 */
final class DatabaseDump {
    private static final Logger log = LoggerFactory.getLogger(DatabaseDump.class);

    /** Session settings pg_dump uses for table data, so a streamed table is byte for byte what pg_dump would write. */
    static final List<String> DUMP_SETTINGS = List.of("SET DateStyle = ISO", "SET IntervalStyle = postgres", "SET extra_float_digits = 3",
            "SET row_security = off", "SET statement_timeout = 0", "SET lock_timeout = 0", "SET idle_in_transaction_session_timeout = 0",
            // A scan that joined another one midway would write the rows rotated: same data, but fewer chunks shared with the last backup.
            "SET synchronize_seqscans = off");

    private final PostgresComponent component;
    private final PostgresTools tools;
    private final PostgresSettings settings;
    private final int serverNum;

    DatabaseDump(PostgresComponent component, PostgresTools tools, PostgresSettings settings, int serverNum) {
        this.component = component;
        this.tools = tools;
        this.settings = settings;
        this.serverNum = serverNum;
    }

    /**
     * A database's snapshot, exported by a transaction that stays open (on its own connection)
     * until the database is dumped: every dump session joins it, so the database is dumped as it
     * was when this was taken.
     */
    record Snapshot(PostgresComponent.Database db, Connection connection, String id) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** Takes {@code db}'s snapshot now. */
    Snapshot snapshot(PostgresComponent.Database db) throws SQLException {
        Connection c = component.connect(db.name());
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            return new Snapshot(db, c, PostgresComponent.queryString(c, "SELECT pg_export_snapshot()"));
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Dumps the database as its snapshot saw it, then ends the snapshot's transaction. */
    PostgresComponent.Database dump(Snapshot taken, String prefix, VirtualTree tree) throws Exception {
        PostgresComponent.Database db = taken.db();
        String snapshot = taken.id();
        Connection c = taken.connection();
        List<Planned> planned = streamedTables(c, prefix);
        // A streamed table's rows are counted by its COPY; the others by count(*), all in the same snapshot.
        java.util.Set<String> copied = planned.stream().map(p -> p.table().display()).collect(java.util.stream.Collectors.toSet());
        CompletableFuture<Map<String, Long>> counts = CompletableFuture.supplyAsync(() -> countRows(db.name(), snapshot, copied));

        String mainFile = prefix + ".dump";
        long[] mainBytes = new long[1];
        Map<String, TableStream> streams = new ConcurrentHashMap<>();
        long streamedEstimate = planned.stream().mapToLong(Planned::estimate).sum();
        List<SessionPool.Sized> tasks = new ArrayList<>();
        tasks.add(new SessionPool.Sized(db.sizeBytes() - streamedEstimate, session -> mainBytes[0] = pgDump(db.name(), snapshot, planned, mainFile, tree, session)));
        for (Planned p : planned) {
            tasks.add(new SessionPool.Sized(p.estimate(), session -> streams.put(p.table().file(), copyOut(session.get(), snapshot, p.table(), db.encoding(), tree))));
        }
        // Worker sessions with pg_dump's settings for table data; each COPY runs in its own transaction in the snapshot.
        SessionPool.runLargestFirst("athena-dump", settings.jobs(), () -> component.connect(db.name(), DUMP_SETTINGS), tasks);

        Map<String, Long> tables;
        try {
            tables = counts.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        List<TableStream> ordered = planned.stream().map(p -> streams.get(p.table().file())).toList();
        Map<String, Long> copiedRows = new java.util.HashMap<>();
        ordered.forEach(t -> copiedRows.merge(t.display(), t.rows(), Long::sum));
        tables.replaceAll((table, rows) -> rows != null ? rows : copiedRows.get(table));
        c.commit();
        long bytes = mainBytes[0] + ordered.stream().mapToLong(TableStream::bytes).sum();
        log.info("dumped database {}: {} bytes, {} rows in {} tables ({} streamed beside pg_dump's archive, in {} streams)", db.name(), bytes,
                tables.values().stream().mapToLong(Long::longValue).sum(), tables.size(), copied.size(), ordered.size());
        return new PostgresComponent.Database(db.name(), db.encoding(), db.collate(), db.ctype(), db.localeProvider(), db.iculocale(),
                db.owner(), db.connectionLimit(), db.sizeBytes(), tables, mainFile, bytes, ordered);
    }

    private record Planned(TableStream table, long estimate) {
    }

    /**
     * Plain tables (partitions included) large enough to pay for a stream of their own. Left to
     * pg_dump: extension members; unlogged tables (which a standby cannot read, and pg_dump knows
     * to skip there); partitions under hash partitioning, whose rows pg_dump may load
     * through the partition root because their hashes can differ in another database; and tables
     * whose schema or name is not printable ASCII, because pg_dump reads its exclusion patterns
     * in the database's encoding and a name passed through the command line might then not match
     * (its rows would be dumped twice).
     */
    private List<Planned> streamedTables(Connection c, String prefix) throws SQLException {
        List<Planned> out = new ArrayList<>();
        if (serverNum < 120000) {
            return out; // generated columns and pg_partition_ancestors came in 12; older servers get one pg_dump stream
        }
        record Candidate(long oid, String schema, String table, long bytes, long pages) {
        }
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT c.oid, n.nspname, c.relname,"
                        + " pg_relation_size(c.oid) + COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS bytes,"
                        + " pg_relation_size(c.oid) / current_setting('block_size')::bigint AS pages"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind = 'r' AND c.relpersistence = 'p'"
                        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                        + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
                        + " AND n.nspname ~ '^[ -~]+$' AND c.relname ~ '^[ -~]+$'"
                        + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
                        + " AND NOT (c.relispartition AND EXISTS (SELECT 1 FROM pg_partition_ancestors(c.oid) a"
                        + "   JOIN pg_partitioned_table p ON p.partrelid = a.relid WHERE p.partstrat = 'h'))"
                        + " AND pg_relation_size(c.oid) + COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) >= ?"
                        + " ORDER BY 4 DESC, 2, 3")) {
            s.setLong(1, settings.streamTableBytes());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        long total = candidates.stream().mapToLong(Candidate::bytes).sum();
        long partBytes = Math.max(Math.max(settings.streamTableBytes(), 1), total / (2L * settings.jobs()));
        for (int i = 0; i < candidates.size(); i++) {
            Candidate t = candidates.get(i);
            List<String> columns = columns(c, t.oid());
            int parts = parts(t.bytes(), t.pages(), partBytes, columns);
            for (int k = 0; k < parts; k++) {
                String file = prefix + ".table-" + i + (parts == 1 ? "" : "-" + k) + ".copy";
                Long from = parts == 1 ? null : t.pages() * k / parts;
                Long to = parts == 1 || k == parts - 1 ? null : t.pages() * (k + 1) / parts;
                out.add(new Planned(new TableStream(t.schema(), t.table(), columns, file, 0, null, from, to), t.bytes() / parts));
            }
        }
        return out;
    }

    /**
     * How many page ranges a table is read in: enough that no part is much larger than the
     * others' share ({@code partBytes}), at most two per session. Ranges are read with TID range
     * scans, which came in PostgreSQL 14; a table without columns is read whole.
     */
    private int parts(long bytes, long pages, long partBytes, List<String> columns) {
        if (serverNum < 140000 || columns.isEmpty() || settings.jobs() < 2) {
            return 1;
        }
        long wanted = (bytes + partBytes - 1) / partBytes;
        return (int) Math.max(1, Math.min(Math.min(wanted, 2L * settings.jobs()), pages));
    }

    /** The columns COPY writes, in order: generated columns are computed again on restore, dropped ones are gone. */
    private static List<String> columns(Connection c, long oid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT attname FROM pg_attribute WHERE attrelid = ? AND attnum > 0"
                + " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum")) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Copies one table in a transaction of its own, so the table's lock is let go as soon as its
     * rows are read. A worker that kept its locks while it went on to run pg_dump could wait
     * forever: pg_dump's lock would queue behind a concurrent DROP or ALTER, which would wait for
     * the worker's lock. (The exporting session holds the snapshot open meanwhile.)
     */
    private static TableStream copyOut(Connection session, String snapshot, TableStream t, String encoding, VirtualTree tree) throws IOException {
        try {
            joinSnapshot(session, snapshot);
            TableStream done;
            try (PGCopyInputStream in = new PGCopyInputStream(session.unwrap(PGConnection.class), t.copyOut(encoding))) {
                long bytes = tree.file(t.file(), in);
                done = t.done(bytes, in.getHandledRowCount());
            }
            session.commit();
            return done;
        } catch (SQLException | IOException e) {
            throw new IOException("copying table " + t.display() + " failed: " + e.getMessage(), e);
        }
    }

    /** Starts a read-only transaction of {@code session} that sees exactly what the exported snapshot saw. */
    private static void joinSnapshot(Connection session, String snapshot) throws SQLException {
        session.setAutoCommit(false);
        try (Statement s = session.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT " + PostgresComponent.literal(snapshot));
        }
    }

    /** pg_dump of everything but the streamed tables' rows, in the same snapshot. */
    private long pgDump(String database, String snapshot, List<Planned> planned, String file, VirtualTree tree, SessionPool.Session session)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-Fc", "-Z0", "--create", "--snapshot=" + snapshot));
        for (String pattern : planned.stream().map(p -> p.table().dumpPattern()).distinct().toList()) {
            args.add("--exclude-table-data=" + pattern);
        }
        ExternalCommand.Streaming dump = tools.command(database, "pg_dump", args.toArray(String[]::new))
                .whenStarted(p -> session.onAbort(p::destroyForcibly)).stream();
        long bytes;
        try {
            bytes = tree.file(file, dump.stdout());
        } catch (IOException | RuntimeException e) {
            dump.kill();
            throw e;
        }
        dump.finish();
        return bytes;
    }

    private Map<String, Long> countRows(String database, String snapshot, java.util.Set<String> copied) {
        try (Connection counter = component.connect(database)) {
            joinSnapshot(counter, snapshot);
            Map<String, Long> rows = PostgresComponent.countRows(counter, copied);
            counter.commit();
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("counting rows of database " + database + ": " + e.getMessage(), e);
        }
    }
}
