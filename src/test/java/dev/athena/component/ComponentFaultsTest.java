package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;
import dev.athena.testing.Trees;

/**
 * What the platform does to a backup while it runs (real PostgreSQL, real pg_dump, real folders):
 * pg_dump killed midway, the database server restarting, the volume folder vanishing. Each ends
 * Failed with a reason naming the component, or Success that restores exactly; never a partial
 * Success.
 */
class ComponentFaultsTest {
    @TempDir
    Path tmp;

    private PostgresComponent postgres(PostgresCluster cluster, Optional<Path> binDir) {
        return new PostgresComponent(new PostgresSettings("127.0.0.1", cluster.port, "postgres", PostgresCluster.PASSWORD, List.of("shop"),
                binDir, tmp.resolve("scratch"), 2, PostgresSettings.DEFAULT_STREAM_TABLE_BYTES));
    }

    private static void load(PostgresCluster pg) throws Exception {
        pg.sql("postgres", "CREATE DATABASE shop");
        pg.sql("shop", "CREATE TABLE orders (id bigint primary key, note text)",
                "INSERT INTO orders SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 200000) g",
                "CREATE TABLE small (id int)", "INSERT INTO small VALUES (1), (2), (3)");
    }

    @Test
    void pgDumpKilledMidwayFailsTheBackupNamingIt() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path real = PostgresCluster.BIN;
        for (String tool : List.of("pg_dumpall", "pg_restore", "psql")) {
            Files.createSymbolicLink(bin.resolve(tool), real.resolve(tool));
        }
        // A pg_dump that dies (exit 137: SIGKILL, as the OOM killer sends) after writing the first 3000 bytes of its archive.
        Path dump = bin.resolve("pg_dump");
        // (Its version is asked first: that answer is let through.)
        Files.writeString(dump, "#!/bin/sh\ncase \"$1\" in --version|-V) exec \"" + real.resolve("pg_dump") + "\" \"$@\";; esac\n\""
                + real.resolve("pg_dump") + "\" \"$@\" | head -c 3000\nexit 137\n");
        Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PostgresCluster pg = new PostgresCluster("dumpkill")) {
            load(pg);
            Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
            assertThatThrownBy(() -> new BackupCommand(repo).component(postgres(pg, Optional.of(bin))).timestamp("2024-01-01t00-00-00").call())
                    .hasMessageContaining("component postgres").hasMessageContaining("pg_dump");
            assertThat(Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, false).timestamps()).isEmpty();
            // The next backup, with a pg_dump that works, succeeds.
            new BackupCommand(repo).component(postgres(pg, Optional.empty())).timestamp("2024-01-01t01-00-00").call();
        }
    }

    @Test
    void theServerRestartingDuringTheBackupFailsItOrTheBackupRestoresExactly() throws Exception {
        try (PostgresCluster source = new PostgresCluster("restarting"); PostgresCluster destination = new PostgresCluster("restarted-into")) {
            load(source);
            String before = source.dump("shop");
            Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
            CompletableFuture<Manifest> backup = CompletableFuture.supplyAsync(() ->
                    new BackupCommand(repo).component(postgres(source, Optional.empty())).timestamp("2024-01-01t00-00-00").call());
            // Restarted while the backup holds its lock, i.e. while it is reading the database.
            LocalStore store = new LocalStore(tmp.resolve("backups"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(5))
                    .until(() -> backup.isDone() || !store.list("app/repository/locks/").isEmpty());
            source.restart();
            try {
                backup.join();
            } catch (java.util.concurrent.CompletionException failed) {
                assertThat(failed.getCause().getMessage()).contains("component postgres");
                return;
            }
            new RestoreCommand(Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, false), "2024-01-01t00-00-00")
                    .component(postgres(destination, Optional.empty())).call();
            assertThat(destination.dump("shop")).isEqualTo(before);
        }
    }

    @Test
    void aVolumeFolderThatVanishesDuringTheBackupFailsItOrWhatWasSeenRestores() throws Exception {
        Path volume = Trees.randomFiles(tmp.resolve("metagraph"), 400, 20_000, 4);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        CompletableFuture<Manifest> backup = CompletableFuture.supplyAsync(() ->
                new BackupCommand(repo).volume("metagraph", volume).timestamp("2024-01-01t00-00-00").call());
        Process rm = new ProcessBuilder("rm", "-rf", volume.toString()).start();
        rm.waitFor();
        try {
            Manifest m = backup.join();
            // Finished before the folder itself went: it holds the folder as seen (files deleted while it was read are left
            // out, each with a warning, as for any file that changes during a backup), and restores to exactly that.
            long files = m.components().get("metagraph").stats().get("files");
            Path restored = tmp.resolve("restored");
            new RestoreCommand(Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, false), "2024-01-01t00-00-00")
                    .volume("metagraph", restored).call();
            try (var all = Files.walk(restored)) {
                assertThat(all.filter(Files::isRegularFile).count()).isEqualTo(files);
            }
        } catch (java.util.concurrent.CompletionException failed) {
            assertThat(failed.getCause().getMessage()).contains("component metagraph").containsAnyOf("vanished", "not a folder");
        }
        assertThat(Files.exists(volume)).isFalse();
        assertThatThrownBy(() -> new BackupCommand(repo).volume("metagraph", volume).timestamp("2024-01-01t01-00-00").call())
                .hasMessageContaining("component metagraph").hasMessageContaining("not a folder");
    }
}
