package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.athena.backup.BackupCommand;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.FaultyStore;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;

/** Two real PostgreSQL 15 clusters, a source and a destination, started by the test as the postgres user. */
class PostgresComponentTest {
    static PostgresCluster source;
    static PostgresCluster destination;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startClusters() throws Exception {
        source = new PostgresCluster("source");
        destination = new PostgresCluster("destination");
        source.sql("postgres", "CREATE ROLE app LOGIN PASSWORD 'app-password'", "CREATE DATABASE shop OWNER app",
                "CREATE DATABASE legacy WITH TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'",
                "ALTER DATABASE shop SET search_path = inventory, public", "ALTER DATABASE shop SET work_mem = '8MB'",
                "COMMENT ON DATABASE shop IS 'the shop'", "REVOKE TEMP ON DATABASE shop FROM PUBLIC",
                "ALTER ROLE postgres SET work_mem = '16MB'");
        source.psql("shop", new String(PostgresComponentTest.class.getResourceAsStream("/platform-db.sql").readAllBytes()));
        source.psql("legacy", "CREATE TABLE café (nom text); INSERT INTO café VALUES ('crème brûlée'), ('naïve');"
                + "CREATE TABLE menu (dish text); INSERT INTO menu SELECT 'plat ' || chr(g) FROM generate_series(160, 255) g;");
        destination.sql("postgres", "CREATE DATABASE shop", "CREATE DATABASE untouched");
        destination.sql("shop", "CREATE TABLE stale (x int)");
        destination.sql("untouched", "CREATE TABLE keep_me (x int)", "INSERT INTO keep_me VALUES (7)");
    }

    @AfterAll
    static void stopClusters() throws Exception {
        source.close();
        destination.close();
    }

    private PostgresComponent component(PostgresCluster cluster, List<String> databases) {
        return component(cluster, databases, PostgresSettings.DEFAULT_STREAM_TABLE_BYTES);
    }

    private PostgresComponent component(PostgresCluster cluster, List<String> databases, long streamTableBytes) {
        return new PostgresComponent(new PostgresSettings("127.0.0.1", cluster.port, "postgres", PostgresCluster.PASSWORD, databases,
                Optional.empty(), tmp.resolve("scratch"), 2, streamTableBytes));
    }

    /**
     * Run twice: with the default threshold every table of this small database is inside pg_dump's
     * archive; with 0 every table that can be is dumped and loaded as a stream of its own, which
     * must give the same database, byte for byte as pg_dump sees it.
     */
    @ParameterizedTest(name = "tables streamed from {0} bytes")
    @ValueSource(longs = {PostgresSettings.DEFAULT_STREAM_TABLE_BYTES, 0})
    void aPlatformDatabaseIsRestoredIntoAnotherClusterAndDumpsTheSame(long streamTableBytes) throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Manifest m = new BackupCommand(repo).component(component(source, List.of(), streamTableBytes)).timestamp("2023-02-02t16-00-00").call();
        Manifest.ComponentSnapshot pg = m.components().get("postgres");
        assertThat(pg.stats().get("databases")).isEqualTo(3);
        assertThat(pg.details().get("serverVersion").toString()).startsWith("15");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> dbs = dev.athena.repository.Json.MAPPER.convertValue(pg.details().get("databases"), List.class);
        Map<String, Object> shop = dbs.stream().filter(d -> d.get("name").equals("shop")).findFirst().orElseThrow();
        assertThat(dev.athena.repository.Json.MAPPER.convertValue(shop.get("tables"), Map.class)).containsEntry("inventory.Quoted Items", 5000L)
                .containsEntry("Продажи.Заказы", 300L).containsEntry("inventory.events_2023", 1070L)
                .containsEntry("inventory.state_counts", 3L).containsEntry("inventory.no_columns", 2L)
                .containsEntry("inventory.private_notes", 2L).containsEntry("inventory.measurements", 503L);
        assertThat(((Number) shop.get("sizeBytes")).longValue()).isPositive();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> streams = (List<Map<String, Object>>) shop.get("streams");
        List<Object> streamed = streams.stream().map(t -> t.get("schema") + "." + t.get("table")).map(Object.class::cast).toList();
        if (streamTableBytes == 0) {
            assertThat(streamed).contains("inventory.Quoted Items", "inventory.events_2023", "inventory.measurements",
                    "inventory.no_columns", "inventory.private_notes", "inventory.Odd.Name*? \"x\"$")
                    .as("partitions under hash partitioning stay in pg_dump's archive").doesNotContain("inventory.buckets_0", "inventory.buckets_1")
                    .as("and so do names pg_dump might not match from its command line").doesNotContain("Продажи.Заказы")
                    .as("and unlogged tables").doesNotContain("inventory.cache");
        } else {
            assertThat(streamed).isEmpty();
        }

        new RestoreCommand(repo, "2023-02-02t16-00-00").component(component(destination, List.of(), streamTableBytes)).call();

        for (String db : List.of("shop", "legacy", "postgres")) {
            assertThat(destination.dump(db)).as(db).isEqualTo(source.dump(db));
        }
        assertThat(destination.dumpGlobals()).contains("CREATE ROLE writer", "CREATE ROLE reader", "CREATE ROLE app", "GRANT reader TO writer")
                .as("the connecting role keeps its destination password but gets its settings back")
                .contains("ALTER ROLE postgres SET work_mem TO '16MB'");
        try (Connection c = destination.connect("untouched"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT x FROM keep_me")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("a database the backup does not hold is left alone").isEqualTo(7);
        }
        try (Connection c = destination.connect("shop"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_value FROM inventory.order_no")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(4242);
        }
        // The role Athena connects as keeps the destination's password.
        try (Connection c = destination.connect("postgres")) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    /**
     * Money moves between accounts while the backup runs, each transfer one transaction touching
     * both tables. Streamed in separate sessions beside pg_dump, the two tables must still come
     * from one snapshot: every restored balance equals its opening balance plus its transfers.
     */
    @Test
    void tablesDumpedInParallelWhileWritesLandAreFromOneSnapshot() throws Exception {
        source.sql("postgres", "DROP DATABASE IF EXISTS ledger", "CREATE DATABASE ledger");
        source.sql("ledger", "CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL, pad text)",
                "INSERT INTO accounts SELECT g, 1000, repeat('x', 200) FROM generate_series(1, 50000) g",
                "CREATE TABLE transfers (id bigserial PRIMARY KEY, source int, target int, amount bigint)");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong committed = new java.util.concurrent.atomic.AtomicLong();
        Thread writer = new Thread(() -> {
            java.util.Random random = new java.util.Random(3);
            try (Connection c = source.connect("ledger")) {
                c.setAutoCommit(false);
                try (java.sql.PreparedStatement t = c.prepareStatement("INSERT INTO transfers (source, target, amount) VALUES (?, ?, ?)");
                     java.sql.PreparedStatement u = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
                    while (!stop.get()) {
                        int from = 1 + random.nextInt(50000);
                        int to = 1 + random.nextInt(50000);
                        long amount = 1 + random.nextInt(50);
                        t.setInt(1, from);
                        t.setInt(2, to);
                        t.setLong(3, amount);
                        t.executeUpdate();
                        u.setLong(1, -amount);
                        u.setInt(2, from);
                        u.executeUpdate();
                        u.setLong(1, amount);
                        u.setInt(2, to);
                        u.executeUpdate();
                        c.commit();
                        committed.incrementAndGet();
                    }
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        try {
            org.awaitility.Awaitility.await("200 transfers before the backup").atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofMillis(10)).until(() -> committed.get() >= 200);
            new BackupCommand(repo).component(component(source, List.of("ledger"), 0)).timestamp("2023-02-02t16-00-00").call();
        } finally {
            stop.set(true);
            writer.join();
        }
        long during = committed.get();
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(component(destination, List.of(), 0)).call();

        try (Connection c = destination.connect("ledger"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FILTER (WHERE a.balance <> 1000 + coalesce(i.amount, 0) - coalesce(o.amount, 0)), (SELECT count(*) FROM transfers)"
                        + " FROM accounts a"
                        + " LEFT JOIN (SELECT target, sum(amount) AS amount FROM transfers GROUP BY target) i ON i.target = a.id"
                        + " LEFT JOIN (SELECT source, sum(amount) AS amount FROM transfers GROUP BY source) o ON o.source = a.id")) {
            rs.next();
            assertThat(rs.getLong(1)).as("accounts whose balance disagrees with the restored transfers").isZero();
            assertThat(rs.getLong(2)).as("transfers committed before the snapshot").isBetween(200L, during);
        }
    }

    @Test
    void everyDatabaseIsCapturedWhenTheBackupBeginsNotWhenItsTurnComes() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        PostgresComponent postgres = component(source, List.of("shop", "legacy"));
        // Written once every snapshot is taken and before shop, the first, is dumped: dumped one
        // after another from snapshots taken in turn, legacy would hold this row.
        postgres.afterSnapshots(() -> {
            try {
                source.sql("legacy", "INSERT INTO menu VALUES ('written during the backup')");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Manifest m = new BackupCommand(repo).component(postgres).timestamp("2023-02-02t16-00-00").call();
            @SuppressWarnings("unchecked")
            List<PostgresComponent.Database> dbs = (List<PostgresComponent.Database>) m.components().get("postgres").details().get("databases");
            PostgresComponent.Database legacy = dbs.stream().filter(d -> d.name().equals("legacy")).findFirst().orElseThrow();
            assertThat(legacy.tables()).containsEntry("public.menu", 96L);
            new RestoreCommand(repo, "2023-02-02t16-00-00").component(component(destination, List.of())).call();
            try (var c = destination.connect("legacy"); var rs = c.createStatement().executeQuery("SELECT count(*) FROM menu")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(96);
            }
        } finally {
            source.sql("legacy", "DELETE FROM menu WHERE dish = 'written during the backup'");
        }
    }

    @Test
    void aRestoreThatFailsLeavesTheDatabaseAsItWas() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).component(component(source, List.of("legacy"))).timestamp("2023-02-02t16-00-00").call();
        destination.sql("postgres", "DROP DATABASE IF EXISTS legacy");
        destination.sql("postgres", "CREATE DATABASE legacy WITH TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'");
        destination.sql("legacy", "CREATE TABLE mine (x int)", "INSERT INTO mine VALUES (1)");
        // Fault injection: a pg_restore that does its work and then fails, as one that crashes at the end would.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : List.of("pg_dump", "pg_dumpall", "psql")) {
            Files.createSymbolicLink(bin.resolve(tool), PostgresCluster.BIN.resolve(tool));
        }
        Files.writeString(bin.resolve("pg_restore"), "#!/bin/sh\n" + PostgresCluster.BIN.resolve("pg_restore") + " \"$@\"\n"
                + "case \" $* \" in *' -d '*) echo 'pg_restore: error: injected failure' >&2; exit 1;; esac\n");
        bin.resolve("pg_restore").toFile().setExecutable(true);
        PostgresComponent failing = new PostgresComponent(new PostgresSettings("127.0.0.1", destination.port, "postgres",
                PostgresCluster.PASSWORD, List.of(), Optional.of(bin), tmp.resolve("scratch"), 2));
        assertThatThrownBy(() -> new RestoreCommand(repo, "2023-02-02t16-00-00").component(failing).call())
                .hasMessageContaining("database legacy").hasMessageContaining("keeps its previous state").hasMessageContaining("injected failure");
        assertKeptItsPreviousState("legacy");
    }

    /** The destination's database still holds the table the test made there, and no temporary database is left. */
    private static void assertKeptItsPreviousState(String database) throws Exception {
        try (Connection c = destination.connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT x FROM mine")) {
            assertThat(rs.next()).isTrue();
        }
        try (Connection c = destination.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'athena%'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no temporary database is left behind").isZero();
        }
    }

    /** Storage that fails while the streamed tables are being loaded: the database keeps its previous state. */
    @Test
    void aStreamedTableThatCannotBeReadLeavesTheDatabaseAsItWas() throws Exception {
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository repo = Repository.open(store, "app", null, true);
        new BackupCommand(repo).component(component(source, List.of("shop"), 0)).timestamp("2023-02-02t16-00-00").call();
        FaultyStore counting = new FaultyStore(store, Integer.MAX_VALUE);
        new RestoreCommand(Repository.open(counting, "app", null, false), "2023-02-02t16-00-00")
                .component(component(destination, List.of(), 0)).call();
        destination.sql("shop", "CREATE TABLE mine (x int)", "INSERT INTO mine VALUES (1)");

        // The last reads of a restore are the streamed tables' chunks, read while their rows load.
        FaultyStore faulty = new FaultyStore(store, counting.reads() - 3);
        assertThatThrownBy(() -> new RestoreCommand(Repository.open(faulty, "app", null, false), "2023-02-02t16-00-00")
                .component(component(destination, List.of(), 0)).call())
                .hasMessageContaining("database shop").hasMessageContaining("keeps its previous state").hasMessageContaining("loading table");
        assertKeptItsPreviousState("shop");
    }

    @Test
    void aMissingDatabaseOrUnreachableServerIsAClearError() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).component(component(source, List.of("nope"))).call())
                .hasMessageContaining("POSTGRES_DATABASES").hasMessageContaining("nope");
        PostgresComponent wrongPassword = new PostgresComponent(new PostgresSettings("127.0.0.1", source.port, "postgres", "wrong",
                List.of(), Optional.empty(), tmp, 2));
        assertThatThrownBy(() -> new BackupCommand(repo).component(wrongPassword).call())
                .hasMessageContaining("cannot connect to PostgreSQL").hasMessageNotContaining("wrong\"");
        assertThat(Files.exists(tmp.resolve("backups/app/repository"))).isTrue();
        assertThat(repo.timestamps()).isEmpty();
    }

    @Test
    void aBackupOfANewerMajorVersionIsRefusedBeforeAnythingIsWritten() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Manifest m = new BackupCommand(repo).component(component(source, List.of("legacy"))).timestamp("2023-02-02t16-00-00").call();
        Manifest.ComponentSnapshot real = m.components().get("postgres");
        // The same backup, as if it had been taken from a PostgreSQL 16 server.
        Map<String, Object> details = new java.util.LinkedHashMap<>(real.details());
        details.put("serverVersion", "16.4");
        Manifest.ComponentSnapshot newer = new Manifest.ComponentSnapshot(real.kind(), real.tree(), real.stats(), real.warnings(), details);
        assertThatThrownBy(() -> component(destination, List.of()).precheck(repo, "2023-02-02t16-00-00", newer))
                .hasMessageContaining("cannot restore a backup of PostgreSQL 16.4 into PostgreSQL 15").hasMessageContaining("16 or newer");
    }

    @Test
    void missingPostgresToolsAreAClearErrorNamingWhatToInstall() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-bin"));
        PostgresComponent noTools = new PostgresComponent(new PostgresSettings("127.0.0.1", source.port, "postgres", PostgresCluster.PASSWORD,
                List.of(), Optional.of(empty), tmp.resolve("scratch"), 2));
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).component(noTools).call())
                .hasMessageContaining("install postgresql-client-15").hasMessageContaining("POSTGRES_BIN_DIR");
    }
}
