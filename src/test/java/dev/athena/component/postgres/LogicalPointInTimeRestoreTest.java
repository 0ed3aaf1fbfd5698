package dev.athena.component.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.CheckResult;
import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.component.postgres.pitr.ScratchServer;
import dev.athena.component.postgres.pitr.WalArchive;
import dev.athena.component.postgres.pitr.WalArchiver;
import dev.athena.component.postgres.pitr.WalPosition;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;

/**
 * The second placement of a point-in-time restore, on real PostgreSQL 15 clusters: without
 * POSTGRES_DATA_DIR, the source's base backup and archived WAL are recovered in a scratch server
 * Athena starts, and loaded into another cluster that stays up the whole time.
 */
class LogicalPointInTimeRestoreTest {
    @TempDir
    Path tmp;

    private static PostgresSettings settings(PostgresCluster pg, Path scratch) {
        return new PostgresSettings("127.0.0.1", pg.port, "postgres", PostgresCluster.PASSWORD, List.of(), Optional.of(PostgresCluster.BIN), scratch, 2);
    }

    @Test
    void aMomentIsRecoveredInAScratchServerAndLoadedIntoARunningDestinationRowByRow() throws Exception {
        try (PostgresCluster source = new PostgresCluster("pitr-src"); PostgresCluster destination = new PostgresCluster("pitr-dst")) {
            Repository repository = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
            source.sql("postgres", "CREATE DATABASE shop", "CREATE ROLE clerk LOGIN PASSWORD 'clerk-pw'", "COMMENT ON DATABASE shop IS 'the shop'",
                    "ALTER DATABASE shop SET work_mem = '8MB'");
            source.sql("shop", "CREATE TABLE t (id int PRIMARY KEY, committed_at timestamptz NOT NULL DEFAULT clock_timestamp())",
                    "CREATE TABLE notes (id serial PRIMARY KEY, body text)", "GRANT SELECT ON t TO clerk");
            WalArchiver archiver = new WalArchiver(settings(source, tmp).address(), new WalArchive(repository), "athena_app", Duration.ofMillis(300),
                    Clock.systemUTC(), Duration.ofMillis(300)).start();
            Manifest.ComponentSnapshot snapshot;
            Instant target;
            try {
                snapshot = new dev.athena.backup.BackupCommand(repository).component(new PostgresComponent(settings(source, tmp)).backingUp(false, true))
                        .timestamp("2026-12-07t10-00-00").call().components().get("postgres");
                // A backup that may keep that base backup, but whose WAL position the archive does not reach (no such slot), takes a
                // base backup of its own and says why. (Keeping it, restored through the service: PointInTimeRestoreTest.)
                Manifest.ComponentSnapshot unarchived = new dev.athena.backup.BackupCommand(repository)
                        .component(new PostgresComponent(settings(source, tmp)).backingUp(false, true)
                                .keepingBaseBackups(Duration.ofHours(24), "athena_nothing", Duration.ofMillis(300)))
                        .timestamp("2026-12-07t10-05-00").call().components().get("postgres");
                assertThat(unarchived.details()).doesNotContainKey("recoveryPoint");
                assertThat(unarchived.warnings()).anyMatch(w -> w.startsWith("a new base backup was taken: the WAL archive had not reached"));
                for (int i = 1; i <= 40; i++) {
                    source.sql("shop", "INSERT INTO t (id) VALUES (" + i + ")");
                }
                source.sql("shop", "INSERT INTO notes (body) SELECT 'note ' || g FROM generate_series(1, 500) g");
                source.sql("postgres", "SELECT pg_switch_wal()");
                for (int i = 41; i <= 80; i++) {
                    source.sql("shop", "INSERT INTO t (id) VALUES (" + i + ")");
                }
                target = Instant.parse(source.query("shop",
                        "SELECT to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM t WHERE id = 41"));
                source.sql("shop", "DELETE FROM notes");
                long end = WalPosition.parseLsn(source.query("postgres", "SELECT pg_current_wal_lsn()::text"));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> archiver.status().archivedLsn() != null
                        && archiver.status().archivedLsn() >= end);
            } finally {
                archiver.close();
            }
            // The destination runs, holds an older "shop" and a database of its own, and has a session open throughout.
            destination.sql("postgres", "CREATE DATABASE shop", "CREATE DATABASE elsewhere");
            destination.sql("shop", "CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (999)");
            destination.sql("elsewhere", "CREATE TABLE kept (x int)", "INSERT INTO kept VALUES (7)");
            String pidBefore = destination.query("postgres", "SELECT pg_postmaster_start_time()::text");

            Path scratch = tmp.resolve("scratch");
            // Athena runs as root here: the scratch server runs as postgres, which must reach the folder.
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Component restore = new PostgresComponent(settings(destination, scratch)).atMoment(target);
            assertThat(restore.destination()).contains("127.0.0.1:" + destination.port, "scratch server");
            try (Connection open = destination.connect("elsewhere")) {
                restore.precheck(repository, "2026-12-07t10-00-00", snapshot);
                RestoreOutcome outcome = restore.restore(repository, "2026-12-07t10-00-00", snapshot);
                assertThat(open.isValid(5)).as("a session on a database the backup does not hold is left alone").isTrue();
                assertThat(outcome.notes().get(0)).contains("recovered to " + target);
                assertThat(outcome.stats()).containsEntry("databases", 2L).containsKey("recoveredToEpochMs");
                assertThat(Instant.ofEpochMilli(outcome.stats().get("recoveredToEpochMs"))).isBefore(target);
            }
            assertThat(destination.ints("shop", "SELECT id FROM t ORDER BY id")).as("exactly the rows committed before " + target)
                    .isEqualTo(IntStream.rangeClosed(1, 40).boxed().toList());
            assertThat(destination.ints("shop", "SELECT count(*)::int FROM notes")).containsExactly(500);
            assertThat(destination.ints("elsewhere", "SELECT x FROM kept")).containsExactly(7);
            assertThat(destination.query("postgres", "SELECT pg_postmaster_start_time()::text")).as("the destination was never restarted")
                    .isEqualTo(pidBefore);
            assertThat(destination.query("postgres", "SELECT count(*)::text FROM pg_roles WHERE rolname = 'clerk'")).isEqualTo("1");
            List<CheckResult> checks = restore.verifyRestored(repository, "2026-12-07t10-00-00", snapshot);
            assertThat(checks).allMatch(CheckResult::passed).extracting(CheckResult::name)
                    .contains("postgres: row counts of database shop match the recovered cluster", "postgres: nothing committed after " + target + " was replayed");

            // A moment after the last archived commit (the source has been idle since): PostgreSQL would refuse to promote at a
            // target it never passes, so every archived transaction is replayed, which is the state at that moment.
            Instant idle = Instant.now();
            Component again = new PostgresComponent(settings(destination, scratch)).atMoment(idle);
            again.precheck(repository, "2026-12-07t10-00-00", snapshot);
            again.restore(repository, "2026-12-07t10-00-00", snapshot);
            assertThat(destination.ints("shop", "SELECT id FROM t ORDER BY id")).isEqualTo(IntStream.rangeClosed(1, 80).boxed().toList());
            assertThat(destination.ints("shop", "SELECT count(*)::int FROM notes")).as("deleted after the first target").containsExactly(0);
            assertThat(again.verifyRestored(repository, "2026-12-07t10-00-00", snapshot)).allMatch(CheckResult::passed);
            // A drill of this physical-only backup loads prefixed copies, with the database's own properties, and leaves the
            // destination's databases (and their properties) alone.
            destination.sql("postgres", "COMMENT ON DATABASE shop IS 'the platform''s own'");
            Component drill = new PostgresComponent(settings(destination, scratch)).forDrill(scratch, "athena_drill_t1_");
            drill.precheck(repository, "2026-12-07t10-00-00", snapshot);
            drill.restore(repository, "2026-12-07t10-00-00", snapshot);
            assertThat(drill.verifyRestored(repository, "2026-12-07t10-00-00", snapshot)).allMatch(CheckResult::passed);
            assertThat(destination.query("postgres", "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database WHERE datname LIKE 'athena_drill_t1_%'"))
                    .isEqualTo("athena_drill_t1_postgres,athena_drill_t1_shop");
            assertThat(destination.query("postgres", "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'athena_drill_t1_shop'"))
                    .isEqualTo("the shop");
            assertThat(destination.query("postgres", "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'shop'"))
                    .isEqualTo("the platform's own");
            assertThat(destination.ints("shop", "SELECT id FROM t ORDER BY id")).isEqualTo(IntStream.rangeClosed(1, 80).boxed().toList());
            new PostgresComponent(settings(destination, scratch)).removeDrillLeftovers("athena_drill_t1_");

            // A scratch server a killed Athena left running is stopped and removed, found by its folder alone.
            dev.athena.component.postgres.pitr.PointInTimeRecovery recovery = new dev.athena.component.postgres.pitr.PointInTimeRecovery(
                    () -> dev.athena.volume.VirtualTree.open(repository, dev.athena.volume.VirtualTree.files(repository, snapshot.treeIds()).get("base.tar")),
                    PostgresComponent.baseBackupOf(snapshot).orElseThrow(), new WalArchive(repository), Optional.empty(), Clock.systemUTC());
            ScratchServer orphan = ScratchServer.recover(recovery, recovery.walChain(), scratch, ScratchServer.Binaries.find(15, Optional.empty()),
                    List.of("postgres"), Duration.ofMinutes(2), Clock.systemUTC());
            long pid = Long.parseLong(Files.readAllLines(orphan.folder().resolve("data/postmaster.pid")).get(0).strip());
            assertThat(ProcessHandle.of(pid)).isPresent();
            ScratchServer.removeLeftovers(scratch, Optional.empty());
            // Gone, or a zombie waiting for its parent (this JVM's container may not reap): no longer running either way.
            Path status = Path.of("/proc", Long.toString(pid), "status");
            assertThat(!Files.exists(status) || Files.readAllLines(status).stream().anyMatch(l -> l.startsWith("State:") && l.contains("Z")))
                    .as("the leftover server is stopped: " + (Files.exists(status) ? Files.readAllLines(status).subList(0, 3) : "gone")).isTrue();
            assertThat(orphan.folder()).doesNotExist();
            try (Stream<Path> left = Files.list(scratch)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("the scratch server and the dumps are gone")
                        .noneMatch(n -> n.startsWith(ScratchServer.FOLDER_PREFIX) || n.startsWith("athena-pg-pitr-dumps-"));
            }
        }
    }
}
