package dev.athena.component.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.athena.component.Component;
import dev.athena.component.ExternalCommand;
import dev.athena.component.RestoreOutcome;
import dev.athena.repository.BlobId;
import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.VirtualTree;
import dev.athena.volume.VolumeRestore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's PostgreSQL, backed up logically: the cluster's roles ({@code pg_dumpall
 * --globals-only}) and each database dumped in parallel from one exported snapshot straight into
 * the repository, no staging on disk ({@link DatabaseDump}: large tables as streams of their own,
 * the rest as pg_dump's uncompressed archive; content-defined chunks make unchanged tables
 * deduplicate across backups). The same snapshot gives each table's exact row count. The restore
 * ({@link DatabaseLoad}) stages only the archive and loads the large tables straight from the
 * repository, in parallel, between pg_restore's schema and its indexes and constraints.
 *
 * <p>A database is restored under a temporary name and swapped in only when everything has
 * loaded without error; a failed restore drops the temporary copy, so the database keeps
 * its previous state. Databases the backup does not hold are left alone.
 */
public final class PostgresComponent implements Component {
    private static final Logger log = LoggerFactory.getLogger(PostgresComponent.class);
    public static final String KIND = "postgres";
    static final String METADATA = "athena-postgres.json";
    static final String GLOBALS = "globals.sql";

    /** What the backup knows about the server and each database, stored beside the dumps. */
    public record Metadata(String serverVersion, int serverMajor, List<Database> databases, boolean rolePasswords) {
    }

    /**
     * One database as backed up. {@code localeProvider} is {@code c} (libc), {@code i} (ICU) or
     * {@code b} (builtin, PostgreSQL 17), and {@code iculocale} that provider's locale (the name
     * predates the builtin provider and is kept for the backups already written).
     */
    public record Database(String name, String encoding, String collate, String ctype, String localeProvider, String iculocale,
                           String owner, int connectionLimit, long sizeBytes, Map<String, Long> tables, String file, long dumpBytes,
                           List<TableStream> streams) {
        public Database {
            streams = streams == null ? List.of() : List.copyOf(streams);
        }

        /** The same database restored under another name (an item-level restore beside the original). */
        Database named(String newName) {
            return new Database(newName, encoding, collate, ctype, localeProvider, iculocale, owner, connectionLimit, sizeBytes, tables, file,
                    dumpBytes, streams);
        }

        /** Bytes of pg_dump's archive alone: what a restore stages on disk (streamed tables go straight to the server). */
        long archiveBytes() {
            return dumpBytes - streams.stream().mapToLong(TableStream::bytes).sum();
        }
    }

    private final PostgresSettings settings;
    private Runnable afterSnapshots = () -> { };
    /** For an item-level restore: the databases restored, each to the name it gets here; null for all. */
    private final Map<String, String> onlyDatabases;

    public PostgresComponent(PostgresSettings settings) {
        this(settings, null);
    }

    private PostgresComponent(PostgresSettings settings, Map<String, String> onlyDatabases) {
        this.settings = settings;
        this.onlyDatabases = onlyDatabases;
    }

    /**
     * Some databases: {@code sales} over the database of that name (loaded beside it and swapped in,
     * as a whole restore does), {@code sales=sales_restored} into a new one beside it. The cluster's
     * roles are left as they are.
     */
    @Override
    public dev.athena.component.Component only(List<String> items) {
        if (items == null || items.isEmpty()) {
            throw new IllegalArgumentException("no database given to restore: name one, or NAME=NEWNAME to restore it beside the original");
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String item : items) {
            String[] parts = (item == null ? "" : item.strip()).split("=", -1);
            String from = parts[0].strip();
            String to = parts.length > 1 ? parts[1].strip() : from;
            if (parts.length > 2 || from.isEmpty() || to.isEmpty()) {
                throw new IllegalArgumentException("'" + item + "' is not a database to restore: write NAME, or NAME=NEWNAME");
            }
            chosen.put(from, to);
        }
        return new PostgresComponent(settings, chosen);
    }

    @Override
    public String destination() {
        return (onlyDatabases == null ? "the databases" : "databases " + String.join(", ", onlyDatabases.values())) + " on " + settings.host() + ":" + settings.port();
    }

    /** The base backup a snapshot holds (POSTGRES_BACKUP_MODE physical or both): where its WAL starts and ends; empty without one. */
    public static java.util.Optional<dev.athena.component.postgres.pitr.PointInTimeRecovery.Base> baseBackupOf(Manifest.ComponentSnapshot snapshot) {
        Object b = snapshot.details().get("baseBackup");
        if (b == null) {
            return java.util.Optional.empty();
        }
        BaseBackup.Info i = Json.MAPPER.convertValue(b, BaseBackup.Info.class);
        Object point = snapshot.details().get("recoveryPoint");
        Long stopAt = point == null ? null
                : dev.athena.component.postgres.pitr.WalPosition.parseLsn(Json.MAPPER.convertValue(point, RecoveryPoint.class).lsn());
        return java.util.Optional.of(new dev.athena.component.postgres.pitr.PointInTimeRecovery.Base(i.start(), i.end(), i.timeline(), stopAt));
    }

    /** POSTGRES_DATA_DIR and its commands: where a physical restore recovers the cluster; empty: only logical restores. */
    private volatile java.util.Optional<dev.athena.component.postgres.pitr.PointInTimeRecovery.Placement> placement = java.util.Optional.empty();

    /** Physical and point-in-time restores recover the cluster in this data folder, stopping and starting the server around it. */
    public PostgresComponent recoveringIn(dev.athena.component.postgres.pitr.PointInTimeRecovery.Placement where) {
        this.placement = java.util.Optional.of(where);
        return this;
    }

    /** Recovered from the base backup and the archived WAL to {@code target} (null: to the end of the base backup). */
    @Override
    public dev.athena.component.Component atMoment(java.time.Instant target) {
        // Some databases (an item-level restore, a drill's prefixed copies) are always loaded logically: the data folder holds them all.
        return new PointInTimeComponent(this, settings, onlyDatabases == null ? placement : java.util.Optional.empty(), onlyDatabases,
                java.util.Optional.ofNullable(target), java.time.Clock.systemUTC());
    }

    /** A backup with a base backup only (POSTGRES_BACKUP_MODE=physical) restores physically, to the end of its base backup. */
    private static boolean physicalOnly(Manifest.ComponentSnapshot snapshot) {
        return Boolean.FALSE.equals(snapshot.details().get("logical"));
    }

    private dev.athena.component.Component physicalRestore;

    /** The one physical restore this component makes of a physical-only backup: its precheck, restore and checks share its outcome. */
    private synchronized dev.athena.component.Component physicalRestore() {
        if (physicalRestore == null) {
            physicalRestore = atMoment(null);
        }
        return physicalRestore;
    }

    /** POSTGRES_BACKUP_MODE: logical dumps (the default), a physical base backup, or both, in each backup. */
    private volatile boolean logicalDumps = true;
    private volatile boolean baseBackups;

    /** What each backup of this server takes: its databases' logical dumps, a physical base backup of the cluster, or both. */
    public PostgresComponent backingUp(boolean logical, boolean physical) {
        if (!logical && !physical) {
            throw new IllegalArgumentException("a backup of PostgreSQL takes logical dumps, a base backup, or both");
        }
        this.logicalDumps = logical;
        this.baseBackups = physical;
        return this;
    }

    /** DRILL_POSTGRES_*: the server drills load into; null: the platform's own. */
    private volatile PostgresSettings drillServer;

    /** Drills load their databases into this server instead of the platform's (DRILL_POSTGRES_HOST...). */
    public PostgresComponent drillsOn(PostgresSettings server) {
        this.drillServer = server;
        return this;
    }

    private PostgresComponent drillTarget() {
        PostgresSettings other = drillServer;
        return other == null ? this : new PostgresComponent(other);
    }

    /**
     * Every database of the backup loaded beside the platform's, under {@code databasePrefix} and
     * its name, with the row counts checked; the cluster's roles are left alone. Dropped by
     * {@link #removeDrillLeftovers}.
     */
    @Override
    public dev.athena.component.Component forDrill(java.nio.file.Path scratch, String databasePrefix) {
        PostgresComponent platform = drillTarget();
        return new dev.athena.component.Component() {
            @Override
            public String destination() {
                return "databases " + databasePrefix + "* on " + platform.settings.host() + ":" + platform.settings.port() + ", dropped after the drill";
            }

            private dev.athena.component.Component mapped;

            /** One mapped restore for the drill: its precheck, restore and checks share what it recovered (a physical backup's outcome). */
            private synchronized dev.athena.component.Component mapped(Manifest.ComponentSnapshot snapshot) {
                if (mapped == null) {
                    mapped = platform.only(metadata(snapshot).databases().stream().map(d -> d.name() + "=" + databasePrefix + d.name()).toList());
                }
                return mapped;
            }

            @Override
            public String name() {
                return platform.name();
            }

            @Override
            public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) {
                throw new UnsupportedOperationException("a drill's databases are never backed up");
            }

            @Override
            public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
                mapped(snapshot).precheck(repository, backup, snapshot);
            }

            @Override
            public List<dev.athena.component.CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot)
                    throws Exception {
                return mapped(snapshot).verifyRestored(repository, backup, snapshot);
            }

            @Override
            public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
                return mapped(snapshot).restore(repository, backup, snapshot);
            }
        };
    }

    /** Drops every database whose name starts with {@code databasePrefix}: what a drill loaded, also after a kill. */
    @Override
    public void removeDrillLeftovers(String databasePrefix) throws Exception {
        if (!databasePrefix.startsWith("athena_drill_")) {
            throw new IllegalArgumentException("only a drill's databases are dropped here");
        }
        try (Connection admin = drillTarget().connect("template1")) {
            List<String> names = new ArrayList<>();
            try (java.sql.PreparedStatement q = admin.prepareStatement("SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
                q.setString(1, databasePrefix);
                try (java.sql.ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        names.add(r.getString(1));
                    }
                }
            }
            for (String name : names) {
                try (java.sql.Statement st = admin.createStatement()) {
                    st.execute("DROP DATABASE IF EXISTS " + ident(name) + " WITH (FORCE)");
                }
                log.info("drill: dropped database {}", name);
            }
        }
    }

    /** The name in the backup of the database restored here as {@code name}. */
    private String sourceName(String name) {
        if (onlyDatabases == null) {
            return name;
        }
        return onlyDatabases.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst().orElse(name);
    }

    /** The backup's databases this restore covers, each under the name it gets here. */
    private List<Database> covered(List<Database> all) {
        if (onlyDatabases == null) {
            return all;
        }
        List<Database> out = new ArrayList<>();
        for (Database db : all) {
            String to = onlyDatabases.get(db.name());
            if (to != null) {
                out.add(db.named(to));
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "postgres";
    }

    /** Runs {@code action} once every database's snapshot is taken, before the first dump (a test writes in between). */
    public PostgresComponent afterSnapshots(Runnable action) {
        this.afterSnapshots = action;
        return this;
    }

    /** The JDBC driver names a certificate it cannot trust in PKIX terms; say which setting decides. */
    private String tlsHint(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("PKIX") || m.contains("certification path")) {
            return settings.sslRootCert().map(ca -> " (the server's certificate is not signed by the CA in POSTGRES_SSLROOTCERT, " + ca + ")")
                    .orElse(" (set POSTGRES_SSLROOTCERT to the CA that signed the server's certificate)");
        }
        return "";
    }

    Connection connect(String database) throws SQLException {
        Properties p = settings.jdbcProperties();
        try {
            return DriverManager.getConnection(settings.jdbcUrl(database), p);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to PostgreSQL at " + settings.host() + ":" + settings.port() + " as " + settings.user()
                    + " (database " + database + ", sslmode " + settings.sslMode() + "): " + e.getMessage() + tlsHint(e), e.getSQLState(), e);
        }
    }

    /** A session with {@code settings} (SET statements) applied, closed again if one fails. */
    Connection connect(String database, List<String> settings) throws SQLException {
        Connection c = connect(database);
        try (Statement s = c.createStatement()) {
            for (String setting : settings) {
                s.execute(setting);
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // ---- backup --------------------------------------------------------------------------------

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        long t0 = System.nanoTime();
        Path scratch = Files.createTempDirectory(Files.createDirectories(settings.scratch()), "athena-pg-backup-");
        try (Connection admin = connect("postgres")) {
            VirtualTree tree = new VirtualTree(repository, 0);
            List<String> warnings = new ArrayList<>();
            int serverNum = queryInt(admin, "SHOW server_version_num");
            String serverVersion = queryString(admin, "SHOW server_version");
            PostgresTools tools = PostgresTools.find(settings, serverNum / 10000);
            boolean passwords = dumpGlobals(tools, scratch.resolve(GLOBALS), warnings);
            tree.file(GLOBALS, Files.readAllBytes(scratch.resolve(GLOBALS)));
            List<Database> databases = new ArrayList<>();
            List<Database> listed = listDatabases(admin, serverNum);
            DatabaseDump dumper = new DatabaseDump(this, tools, settings, serverNum);
            // Every database's snapshot is taken first, within milliseconds, and each is then dumped
            // from its own: the databases are captured at one moment, however long the dumps take.
            // The price is one idle connection per database until its dump ends.
            List<DatabaseDump.Snapshot> snapshots = new ArrayList<>();
            try {
                for (Database db : logicalDumps ? listed : List.<Database>of()) {
                    snapshots.add(dumper.snapshot(db));
                }
                afterSnapshots.run();
                for (int i = 0; i < snapshots.size(); i++) {
                    try (DatabaseDump.Snapshot taken = snapshots.get(i)) {
                        databases.add(dumper.dump(taken, "database-" + i, tree));
                    }
                }
            } finally {
                for (DatabaseDump.Snapshot s : snapshots) {
                    s.close();
                }
            }
            BaseBackup.Info base = null;
            RecoveryPoint point = null;
            if (baseBackups) {
                java.util.Optional<BaseBackup.Info> kept = reusableBaseBackup(admin, parent);
                TreeEntry keptTar = kept.isPresent() ? VirtualTree.files(repository, parent.treeIds()).get(BaseBackup.FILE) : null;
                if (keptTar != null) {
                    point = archivedCapture(admin, warnings).orElse(null);
                }
                if (point != null) {
                    tree.reuse(keptTar);
                    base = kept.get();
                } else {
                    base = BaseBackup.take(tools, tree, "athena " + timestamp, java.time.Instant.now());
                }
            }
            if (!logicalDumps) {
                // The databases as they are named and sized, for the record; their data is in the base backup.
                databases.addAll(listed);
            }
            Metadata metadata = new Metadata(serverVersion, serverNum / 10000, databases, passwords);
            tree.file(METADATA, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
            List<BlobId> ids = tree.finish();
            Map<String, Long> stats = new LinkedHashMap<>();
            stats.put("databases", (long) databases.size());
            stats.put("tables", databases.stream().mapToLong(d -> d.tables().size()).sum());
            stats.put("rows", databases.stream().flatMap(d -> d.tables().values().stream()).mapToLong(Long::longValue).sum());
            stats.put("bytes", databases.stream().mapToLong(Database::dumpBytes).sum());
            stats.put("databaseBytes", databases.stream().mapToLong(Database::sizeBytes).sum());
            stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("serverVersion", metadata.serverVersion());
            details.put("databases", metadata.databases());
            if (base != null) {
                details.put("baseBackup", base);
                stats.put("baseBackupBytes", base.bytes());
            }
            if (point != null) {
                details.put("recoveryPoint", point);
                stats.put("baseBackupKept", 1L);
            }
            if (!logicalDumps) {
                details.put("logical", false);
            }
            return new Manifest.ComponentSnapshot(KIND, ids.stream().map(BlobId::hex).toList(), stats, warnings, details);
        } finally {
            dev.athena.component.ScratchFolder.delete(scratch);
        }
    }

    /**
     * Where a backup that kept the last base backup stands in the WAL: its capture's position (the server's WAL position when
     * the backup ran, archived before the backup ends), which a restore of it replays to.
     */
    record RecoveryPoint(String lsn, String at) {
    }

    /** POSTGRES_BASE_BACKUP_MAX_AGE_HOURS: zero takes a base backup each time. */
    private volatile java.time.Duration baseBackupMaxAge = java.time.Duration.ZERO;
    private volatile String walSlot;
    private volatile java.time.Duration archiveWait = java.time.Duration.ofSeconds(40);

    /**
     * Backups keep the last base backup while it is younger than {@code maxAge} and the server is on its timeline, recording
     * instead their own WAL position, once the replication slot {@code slot} shows the archive holds it (within {@code wait}).
     */
    public PostgresComponent keepingBaseBackups(java.time.Duration maxAge, String slot, java.time.Duration wait) {
        this.baseBackupMaxAge = maxAge;
        this.walSlot = slot;
        this.archiveWait = wait;
        return this;
    }

    /** The parent's base backup, when this backup may keep it: young enough, and taken on the server's present timeline. */
    private java.util.Optional<BaseBackup.Info> reusableBaseBackup(Connection admin, Manifest.ComponentSnapshot parent) throws SQLException {
        if (baseBackupMaxAge.isZero() || parent == null || parent.details().get("baseBackup") == null) {
            return java.util.Optional.empty();
        }
        BaseBackup.Info last = Json.MAPPER.convertValue(parent.details().get("baseBackup"), BaseBackup.Info.class);
        if (last.takenAt() == null || java.time.Instant.parse(last.takenAt()).plus(baseBackupMaxAge).isBefore(java.time.Instant.now())) {
            return java.util.Optional.empty();
        }
        if (queryInt(admin, "SELECT timeline_id FROM pg_control_checkpoint()") != last.timeline()) {
            log.info("the server changed timeline since the last base backup: this backup takes a new one");
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(last);
    }

    /**
     * The server's WAL position now, once the archive holds it: the slot's restart position, which the archiver advances only
     * past what it has stored. Empty (and a warning) when it does not get there in time: the backup then takes a base backup.
     */
    private java.util.Optional<RecoveryPoint> archivedCapture(Connection admin, List<String> warnings) throws SQLException, InterruptedException {
        String at = java.time.Instant.now().toString();
        String lsn = queryString(admin, "SELECT pg_current_wal_lsn()::text");
        long wanted = dev.athena.component.postgres.pitr.WalPosition.parseLsn(lsn);
        try {
            // The segment is closed now, so the archiver stores it whole at once instead of at its next interval.
            queryString(admin, "SELECT pg_switch_wal()::text");
        } catch (SQLException e) {
            log.debug("pg_switch_wal refused ({}): waiting for the archiver's next interval", e.getMessage());
        }
        long deadline = System.nanoTime() + archiveWait.toNanos();
        String archived = null;
        try (java.sql.PreparedStatement q = admin.prepareStatement("SELECT restart_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, walSlot);
            while (true) {
                try (ResultSet r = q.executeQuery()) {
                    archived = r.next() ? r.getString(1) : null;
                }
                if (archived != null && Long.compareUnsigned(dev.athena.component.postgres.pitr.WalPosition.parseLsn(archived), wanted) >= 0) {
                    return java.util.Optional.of(new RecoveryPoint(lsn, at));
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        warnings.add("a new base backup was taken: the WAL archive had not reached " + lsn + " (archived: " + (archived == null ? "nothing, no slot "
                + walSlot : archived) + ") within " + archiveWait.toSeconds() + " s, so the last base backup could not be kept");
        return java.util.Optional.empty();
    }

    /** The databases to back up; the locale provider's columns moved between versions (ICU from 15, renamed in 17). */
    private List<Database> listDatabases(Connection admin, int serverNum) throws SQLException, IOException {
        List<Database> out = new ArrayList<>();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(databasesQuery(serverNum))) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (settings.databases().isEmpty() || settings.databases().contains(name)) {
                    out.add(new Database(name, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(7), rs.getInt(8), rs.getLong(9), Map.of(), null, 0, List.of()));
                }
            }
        }
        for (String wanted : settings.databases()) {
            if (out.stream().noneMatch(d -> d.name().equals(wanted))) {
                throw new IOException("POSTGRES_DATABASES names '" + wanted + "', which is not a database on " + settings.host());
            }
        }
        return out;
    }

    /**
     * Each database's name, encoding, collation, ctype, locale provider and its locale, owner, connection limit and size, in
     * that order: the databases a backup or a logical restore covers (templates and databases closed to connections are not).
     */
    static String databasesQuery(int serverNum) {
        String provider = serverNum >= 170000 ? "d.datlocprovider::text, d.datlocale" : serverNum >= 150000 ? "d.datlocprovider::text, d.daticulocale"
                : "'c', NULL";
        return "SELECT d.datname, pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, " + provider + ","
                + " pg_get_userbyid(d.datdba), d.datconnlimit, pg_database_size(d.oid)"
                + " FROM pg_database d WHERE NOT d.datistemplate AND d.datallowconn ORDER BY d.datname";
    }

    /** Roles with their password hashes and grants; without superuser rights, roles without passwords. */
    private boolean dumpGlobals(PostgresTools tools, Path file, List<String> warnings) throws IOException, InterruptedException {
        ExternalCommand.Result r = tools.command("postgres", "pg_dumpall", "--globals-only", "-f", file.toString()).run();
        if (r.ok()) {
            return true;
        }
        if (r.stderr().contains("permission denied")) {
            tools.command("postgres", "pg_dumpall", "--globals-only", "--no-role-passwords", "-f", file.toString()).check();
            warnings.add("roles were backed up without their passwords: " + settings.user() + " may not read pg_authid (not a superuser)");
            return false;
        }
        throw new IOException("pg_dumpall --globals-only failed: " + r.stderr().strip());
    }

    /** FROM and WHERE of the tables whose rows are counted: user tables and populated materialized views, not an extension's. */
    static final String USER_TABLES = " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')"
            + " AND (c.relkind <> 'm' OR c.relispopulated)";

    /** Rows of every user table and materialized view (leaf tables only, so partitions count once). */
    static Map<String, Long> countRows(Connection c) throws SQLException {
        return countRows(c, java.util.Set.of());
    }

    /** As {@link #countRows(Connection)}, leaving the tables in {@code known} uncounted: their entries hold null, in order, to be filled in. */
    static Map<String, Long> countRows(Connection c, java.util.Set<String> known) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname" + USER_TABLES + " ORDER BY 1, 2")) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement()) {
            for (String[] t : tables) {
                if (known.contains(t[0] + "." + t[1])) {
                    out.put(t[0] + "." + t[1], null);
                    continue;
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM ONLY " + ident(t[0]) + "." + ident(t[1]))) {
                    rs.next();
                    out.put(t[0] + "." + t[1], rs.getLong(1));
                }
            }
        }
        return out;
    }

    // ---- restore -------------------------------------------------------------------------------

    public static Metadata metadata(Manifest.ComponentSnapshot snapshot) {
        Object dbs = snapshot.details().get("databases");
        List<Database> databases = Json.MAPPER.convertValue(dbs, Json.MAPPER.getTypeFactory().constructCollectionType(List.class, Database.class));
        String version = String.valueOf(snapshot.details().get("serverVersion"));
        int major = Integer.parseInt(version.replaceAll("^(\\d+).*", "$1"));
        return new Metadata(version, major, databases, true);
    }

    /** Each table's rows in the destination against the counts taken in the backup's snapshot. */
    @Override
    public List<dev.athena.component.CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        if (physicalOnly(snapshot)) {
            return physicalRestore().verifyRestored(repository, backup, snapshot);
        }
        List<dev.athena.component.CheckResult> out = new ArrayList<>();
        for (Database db : covered(metadata(snapshot).databases())) {
            out.add(rowCountCheck(db, "the backup"));
        }
        return out;
    }

    /** Whether each table of {@code db} here holds the rows {@code db} records (counted in the backup, or in a recovered cluster: {@code source}). */
    dev.athena.component.CheckResult rowCountCheck(Database db, String source) throws SQLException {
        Map<String, Long> now;
        try (Connection c = connect(db.name())) {
            now = countRows(c);
        }
        List<String> differ = new ArrayList<>();
        db.tables().forEach((table, rows) -> {
            Long actual = now.get(table);
            if (!rows.equals(actual)) {
                differ.add(table + " has " + actual + " rows, " + source + " " + rows);
            }
        });
        long total = db.tables().values().stream().mapToLong(Long::longValue).sum();
        return new dev.athena.component.CheckResult(name() + ": row counts of database " + db.name() + " match " + source, differ.isEmpty(),
                differ.isEmpty() ? db.tables().size() + " tables, " + total + " rows" : String.join("; ", differ.subList(0, Math.min(5, differ.size()))));
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        if (physicalOnly(snapshot)) {
            physicalRestore().precheck(repository, backup, snapshot);
            return;
        }
        Metadata m = metadata(snapshot);
        checkHeld(backup, m, onlyDatabases);
        checkDestination(m.serverVersion(), m.serverMajor());
        long needed = m.databases().stream().mapToLong(Database::archiveBytes).sum();
        Path scratch = Files.createDirectories(settings.scratch());
        long free = Files.getFileStore(scratch).getUsableSpace();
        if (free < needed) {
            throw new IOException("not enough free space in " + scratch + " to stage the PostgreSQL dump: " + free + " bytes free, about "
                    + needed + " needed (set ATHENA_SCRATCH_DIR)");
        }
        new VolumeRestore(repository).precheck(backup, name(), snapshot.treeIds());
    }

    /** Every database of {@code only} (an item-level restore's; null: all) is in the backup, or an error naming what it holds. */
    static void checkHeld(String backup, Metadata m, Map<String, String> only) {
        if (only == null) {
            return;
        }
        java.util.Set<String> held = new java.util.TreeSet<>();
        m.databases().forEach(d -> held.add(d.name()));
        List<String> missing = only.keySet().stream().filter(d -> !held.contains(d)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("backup " + backup + ", component postgres holds no database " + String.join(", ", missing)
                    + "; it holds " + held);
        }
    }

    /** The tools for loading a backup of PostgreSQL {@code major} into this server: of its version or the backup's, the newer. */
    PostgresTools destinationTools(Connection admin, int major) throws Exception {
        return PostgresTools.find(settings, Math.max(queryInt(admin, "SHOW server_version_num") / 10000, major));
    }

    /** The destination can take a logical restore of PostgreSQL {@code major}: same major or newer, tools found, a superuser. */
    void checkDestination(String version, int major) throws Exception {
        try (Connection admin = connect("postgres")) {
            int destMajor = queryInt(admin, "SHOW server_version_num") / 10000;
            if (destMajor < major) {
                throw new IOException("cannot restore a backup of PostgreSQL " + version + " into PostgreSQL " + destMajor
                        + " on " + settings.host() + ": the destination must run PostgreSQL " + major + " or newer");
            }
            destinationTools(admin, major);
            try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new IOException(settings.user() + " is not a superuser on " + settings.host()
                            + ": restoring roles and databases needs a superuser (POSTGRES_USER)");
                }
            }
        }
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        if (physicalOnly(snapshot)) {
            return physicalRestore().restore(repository, backup, snapshot);
        }
        Metadata m = metadata(snapshot);
        Path scratch = Files.createTempDirectory(Files.createDirectories(settings.scratch()), "athena-pg-restore-");
        try {
            Map<String, TreeEntry> files = VirtualTree.files(repository, snapshot.treeIds());
            Metadata stored = Json.read(Files.readAllBytes(stage(repository, files, METADATA, scratch)), Metadata.class,
                    "PostgreSQL metadata of backup " + backup);
            // Everything staged before the first write: a full scratch disk then changes nothing, not even the roles.
            Path globals = stage(repository, files, GLOBALS, scratch);
            List<Database> restoring = covered(stored.databases());
            Map<String, Path> archives = new LinkedHashMap<>();
            for (Database db : restoring) {
                archives.put(db.name(), stage(repository, files, db.file(), scratch));
            }
            try (Connection admin = connect("postgres")) {
                PostgresTools tools = destinationTools(admin, m.serverMajor());
                if (onlyDatabases == null) {
                    // Roles are the cluster's, shared by every database: a restore of some databases leaves them alone.
                    restoreGlobals(tools, admin, globals);
                }
                long tables = 0;
                long streamed = 0;
                for (Database db : restoring) {
                    Path archive = archives.get(db.name());
                    new DatabaseSwap(this, tools, settings).restore(db, sourceName(db.name()), archive,
                            t -> VirtualTree.open(repository, file(files, t.file())));
                    Files.delete(archive);
                    tables += db.tables().size();
                    streamed += db.streams().stream().map(TableStream::display).distinct().count();
                }
                Map<String, Long> stats = new LinkedHashMap<>();
                stats.put("databases", (long) restoring.size());
                stats.put("tables", tables);
                stats.put("streamedTables", streamed);
                return RestoreOutcome.of(stats);
            }
        } finally {
            dev.athena.component.ScratchFolder.delete(scratch);
        }
    }

    private static TreeEntry file(Map<String, TreeEntry> files, String name) throws IOException {
        TreeEntry e = files.get(name);
        if (e == null) {
            throw new IOException("the PostgreSQL backup lacks its file " + name);
        }
        return e;
    }

    /** Writes one stored file into the scratch folder (the archive pg_restore reads, the roles, the metadata). */
    private static Path stage(Repository repository, Map<String, TreeEntry> files, String name, Path scratch) throws IOException {
        Path target = scratch.resolve(name);
        try (InputStream in = VirtualTree.open(repository, file(files, name))) {
            Files.copy(in, target);
        }
        return target;
    }

    /**
     * Creates the backup's roles. The role Athena connects as is left as it is here: taking the
     * source's password for it would lock Athena out of the destination.
     */
    void restoreGlobals(PostgresTools tools, Connection admin, Path file) throws Exception {
        String me = queryString(admin, "SELECT current_user");
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            // Its creation and attributes (password included) stay the destination's; its settings (ALTER ROLE ... SET) come back.
            if (line.startsWith("CREATE ROLE " + ident(me) + ";") || line.startsWith("CREATE ROLE " + me + ";")
                    || line.startsWith("ALTER ROLE " + ident(me) + " WITH ") || line.startsWith("ALTER ROLE " + me + " WITH ")) {
                continue;
            }
            kept.add(line);
        }
        Path filtered = file.resolveSibling("globals-filtered.sql");
        Files.write(filtered, kept, StandardCharsets.UTF_8);
        ExternalCommand.Result r = tools.command("postgres", "psql", "-X", "-q", "-f", filtered.toString()).run();
        for (String line : r.stderr().lines().toList()) {
            if (line.contains("ERROR") && !line.contains("already exists")) {
                throw new IOException("restoring roles failed: " + line.strip());
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    static int queryInt(Connection c, String sql) throws SQLException {
        return Integer.parseInt(queryString(c, sql));
    }

    static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

}
