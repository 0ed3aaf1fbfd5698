package dev.athena.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;

/**
 * One database taken out of a backup of several, on a real PostgreSQL 15 cluster: over the database
 * of that name (loaded beside it and swapped in), or into a new one beside it; the other database
 * and the cluster's roles stay as they are, and row counts are checked after.
 */
class DatabaseItemRestoreTest {
    static PostgresCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        cluster = new PostgresCluster("items");
        cluster.sql("postgres", "CREATE DATABASE sales", "CREATE DATABASE hr", "CREATE ROLE auditor LOGIN PASSWORD 'before'");
        cluster.sql("sales", "CREATE TABLE orders (id int PRIMARY KEY, total numeric)",
                "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 500) g");
        cluster.sql("hr", "CREATE TABLE people (id int PRIMARY KEY, name text)",
                "INSERT INTO people SELECT g, 'person ' || g FROM generate_series(1, 40) g");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private PostgresComponent postgres() {
        return new PostgresComponent(new PostgresSettings("127.0.0.1", cluster.port, "postgres", PostgresCluster.PASSWORD, List.of(),
                Optional.empty(), tmp.resolve("scratch"), 2));
    }

    private static long count(String database, String table) throws Exception {
        try (Connection c = cluster.connect(database); ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void oneDatabaseComesBackOverItsNameOrBesideItAndTheRestStays() throws Exception {
        Repository repository = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repository).timestamp("2026-12-07t10-00-00").component(postgres()).call();

        cluster.sql("sales", "DELETE FROM orders WHERE id > 100");
        cluster.sql("hr", "DELETE FROM people WHERE id > 10");
        cluster.sql("postgres", "ALTER ROLE auditor PASSWORD 'after'", "CREATE ROLE newcomer");

        var restored = new RestoreCommand(repository, "2026-12-07t10-00-00").component(postgres())
                .items(Map.of("postgres", List.of("sales", "hr=hr_as_backed_up"))).call();
        assertThat(restored.get("postgres").stats()).containsEntry("databases", 2L);

        assertThat(count("sales", "orders")).as("over the old one").isEqualTo(500);
        assertThat(count("hr", "people")).as("the original stays as it was changed").isEqualTo(10);
        assertThat(count("hr_as_backed_up", "people")).as("beside it").isEqualTo(40);
        try (Connection c = cluster.connect("postgres");
             ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = 'newcomer'")) {
            r.next();
            assertThat(r.getLong(1)).as("the cluster's roles are left alone").isEqualTo(1);
        }
        var checks = postgres().only(List.of("sales", "hr=hr_as_backed_up")).verifyRestored(repository, "2026-12-07t10-00-00",
                repository.readManifest("2026-12-07t10-00-00").components().get("postgres"));
        assertThat(checks).hasSize(2).allSatisfy(c -> assertThat(c.passed()).as(c.detail()).isTrue());
        assertThat(checks).extracting(c -> c.name()).containsExactlyInAnyOrder("postgres: row counts of database sales match the backup",
                "postgres: row counts of database hr_as_backed_up match the backup");

        assertThatThrownBy(() -> new RestoreCommand(repository, "2026-12-07t10-00-00").component(postgres())
                .items(Map.of("postgres", List.of("payroll"))).call())
                .hasMessageContaining("holds no database payroll").hasMessageContaining("[hr, postgres, sales]");
        assertThat(count("hr", "people")).as("a refused restore writes nothing").isEqualTo(10);
    }
}
