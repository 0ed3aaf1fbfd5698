package dev.athena.component.postgres.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.VirtualTree;

/**
 * Point-in-time recovery on a real PostgreSQL 15 cluster: a base backup (pg_basebackup into the
 * repository), the WAL archived while rows are committed one by one, then the cluster recovered
 * in its own data folder to a moment between two of them.
 */
class PointInTimeRecoveryTest {
    @TempDir
    Path tmp;

    private static PostgresSettings settings(PostgresCluster pg, Path scratch) {
        return new PostgresSettings("127.0.0.1", pg.port, "postgres", PostgresCluster.PASSWORD, List.of(), Optional.of(PostgresCluster.BIN), scratch, 1);
    }

    private static String query(PostgresCluster pg, String sql) throws Exception {
        return pg.query("postgres", sql);
    }

    private static List<Integer> ids(PostgresCluster pg) throws Exception {
        return pg.ints("postgres", "SELECT id FROM t ORDER BY id");
    }


    @Test
    void theClusterIsRecoveredToTheMomentAskedForHoldingExactlyTheRowsCommittedBeforeIt() throws Exception {
        try (PostgresCluster pg = new PostgresCluster("pitr")) {
            Repository repository = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
            WalArchive archive = new WalArchive(repository);
            pg.sql("postgres", "CREATE TABLE t (id int PRIMARY KEY, committed_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            WalArchiver archiver = new WalArchiver(settings(pg, tmp).address(), archive, "athena_app", Duration.ofMillis(300), Clock.systemUTC(),
                    Duration.ofMillis(300)).start();
            Manifest.ComponentSnapshot snapshot;
            Instant target;
            long secondHalf;
            try {
                snapshot = new dev.athena.backup.BackupCommand(repository).component(new PostgresComponent(settings(pg, tmp)).backingUp(true, true))
                        .timestamp("2026-12-07t10-00-00").call().components().get("postgres");
                for (int i = 1; i <= 50; i++) {
                    pg.sql("postgres", "INSERT INTO t (id) VALUES (" + i + ")");
                }
                pg.sql("postgres", "SELECT pg_switch_wal()");
                secondHalf = WalPosition.parseLsn(query(pg, "SELECT pg_current_wal_lsn()::text"));
                for (int i = 51; i <= 100; i++) {
                    pg.sql("postgres", "INSERT INTO t (id) VALUES (" + i + ")");
                }
                pg.sql("postgres", "SELECT pg_switch_wal()");
                pg.sql("postgres", "CREATE TABLE later (x int)");
                // The 51st row's clock, read while it was inserted: after the 50th commit, before its own. No waiting needed.
                target = Instant.parse(query(pg, "SELECT to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM t WHERE id = 51"));
                long end = dev.athena.component.postgres.pitr.WalPosition.parseLsn(query(pg, "SELECT pg_current_wal_lsn()::text"));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> archiver.status().archivedLsn() != null
                        && archiver.status().archivedLsn() >= end);
            } finally {
                archiver.close();
            }
            assertThat(snapshot.stats()).containsKey("baseBackupBytes");
            PointInTimeRecovery.Base base = PostgresComponent.baseBackupOf(snapshot).orElseThrow();
            List<dev.athena.repository.BlobId> tree = snapshot.treeIds();
            TreeEntry tar = VirtualTree.files(repository, tree).get("base.tar");
            PointInTimeRecovery.Placement placement = new PointInTimeRecovery.Placement(pg.dataDir(), pg.stopCommand(), pg.startCommand(),
                    settings(pg, tmp).address(), Duration.ofMinutes(2));

            // A hole in the chain (the segment of rows 51 to 100) is found before anything is touched, naming the segment and the
            // latest moment still reachable: the 50th row's commit, just before the 51st row's clock.
            List<WalArchive.Entry> chain = new PointInTimeRecovery(() -> VirtualTree.open(repository, tar), base, archive, Optional.of(target),
                    Clock.systemUTC()).walChain();
            assertThat(chain.size()).isGreaterThanOrEqualTo(3);
            WalPosition.Segment holding = WalPosition.segmentOf(base.timeline(), secondHalf, archive.info().segmentSize());
            WalArchive.Entry middle = chain.stream().filter(e -> e.segment().equals(holding) && !e.partial()).findFirst().orElseThrow();
            Instant row50 = Instant.parse(query(pg, "SELECT to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM t WHERE id = 50"));
            byte[] kept = archive.read(middle);
            repository.store().delete(repository.layout().walFolder() + middle.name());
            assertThatThrownBy(() -> new PointInTimeRecovery(() -> VirtualTree.open(repository, tar), base, archive, Optional.of(target),
                    Clock.systemUTC()).run(placement)).hasMessageContaining("WAL segment " + middle.name() + " is missing")
                    .satisfies(e -> {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("the latest moment still reachable is (\\S+) ").matcher(e.getMessage());
                        assertThat(m.find()).as(e.getMessage()).isTrue();
                        assertThat(Instant.parse(m.group(1))).isAfter(row50).isBefore(target);
                    });
            assertThat(ids(pg)).as("the server was not stopped, nothing changed").hasSize(100);
            assertThat(new dev.athena.maintenance.VerifyCommand(repository).call().problems()).as("athena verify finds it too").singleElement()
                    .asString().contains("backup 2026-12-07t10-00-00, component postgres: WAL segment " + middle.name() + " is missing");
            archive.putSegment(middle.name(), kept, kept.length);
            assertThat(new dev.athena.maintenance.VerifyCommand(repository).call().problems()).isEmpty();

            PointInTimeRecovery.Outcome outcome = new PointInTimeRecovery(() -> VirtualTree.open(repository, tar), base, archive, Optional.of(target),
                    Clock.systemUTC()).run(placement);
            assertThat(ids(pg)).as("exactly the rows committed before " + target).isEqualTo(IntStream.rangeClosed(1, 50).boxed().toList());
            assertThat(Instant.parse(outcome.lastReplayedTransaction())).isBefore(target);
            assertThat(query(pg, "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
            assertThat(Files.isDirectory(Path.of(outcome.previousDataKeptAt()))).as("the data folder before the restore is kept").isTrue();
            assertThat(Files.exists(pg.dataDir().resolve(PointInTimeRecovery.STAGED_WAL))).isFalse();
            assertThat(Files.readString(pg.dataDir().resolve("postgresql.auto.conf"))).doesNotContain("recovery_target_time", "restore_command");
            // The recovered cluster takes writes.
            pg.sql("postgres", "INSERT INTO t (id) VALUES (1000)");
        }
    }
}
