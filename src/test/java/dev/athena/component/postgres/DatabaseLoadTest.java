package dev.athena.component.postgres;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.PostgresCluster;

/** Loading a streamed table into a real PostgreSQL 15 cluster. */
class DatabaseLoadTest {
    static PostgresCluster cluster;
    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        cluster = new PostgresCluster("load");
        cluster.sql("postgres", "CREATE DATABASE source", "CREATE DATABASE target");
        cluster.sql("source", "CREATE TABLE t (x int PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    /** Rows lost between the dump and the load (a stream cut short, say) stop the load before any swap. */
    @Test
    void aStreamedTableThatLoadsAnotherNumberOfRowsThanItsSnapshotHeldFailsTheLoad() throws Exception {
        PostgresSettings settings = new PostgresSettings("127.0.0.1", cluster.port, "postgres", PostgresCluster.PASSWORD, List.of(),
                Optional.empty(), tmp, 2, 0);
        PostgresComponent component = new PostgresComponent(settings);
        PostgresTools tools = PostgresTools.find(settings, 15);
        Path archive = tmp.resolve("source.dump");
        tools.command("source", "pg_dump", "-Fc", "-Z0", "--exclude-table-data=public.t", "-f", archive.toString()).check();
        TableStream t = new TableStream("public", "t", List.of("x"), "t.copy", 6, 4L, null, null);
        PostgresComponent.Database db = new PostgresComponent.Database("source", "UTF8", "C.UTF-8", "C.UTF-8", "c", null, "postgres", -1,
                0, Map.of("public.t", 4L), "source.dump", Files.size(archive) + 6, List.of(t));

        assertThatThrownBy(() -> new DatabaseLoad(component, tools, settings).into("target", db, archive,
                table -> new ByteArrayInputStream("1\n2\n3\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("loading table public.t gave 3 rows, the backup holds 4");
    }
}
