package dev.athena.component.postgres.pitr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.postgres.PostgresSettings;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.PostgresCluster;

/** WAL archiving against a real PostgreSQL 15 server, into a real repository on disk. */
class WalArchiverTest {
    private static final long SEGMENT = 16L * 1024 * 1024;
    @TempDir
    Path tmp;

    private static long currentLsn(PostgresCluster pg) throws Exception {
        return WalPosition.parseLsn(pg.query("postgres", "SELECT pg_current_wal_lsn()::text"));
    }

    private static WalArchiver archiver(PostgresCluster pg, WalArchive archive) {
        PostgresSettings settings = new PostgresSettings("127.0.0.1", pg.port, "postgres", PostgresCluster.PASSWORD, List.of(),
                Optional.of(PostgresCluster.BIN), Path.of("/tmp"), 1);
        return new WalArchiver(settings.address(), archive, "athena_app", Duration.ofMillis(300), Clock.systemUTC(), Duration.ofMillis(300));
    }

    private static void awaitArchived(WalArchiver archiver, long lsn) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> archiver.status().archivedLsn() != null && archiver.status().archivedLsn() >= lsn);
    }

    /** Complete segments are numbered one after the other, with no hole, on timeline 1. */
    private static void assertNoHole(WalArchive archive) {
        List<WalArchive.Entry> complete = archive.list(SEGMENT).stream().filter(e -> !e.partial()).toList();
        for (int i = 1; i < complete.size(); i++) {
            assertThat(complete.get(i).segment().number()).as("segment after " + complete.get(i - 1).name())
                    .isEqualTo(complete.get(i - 1).segment().number() + 1);
        }
    }

    @Test
    void segmentsAndTheGrowingOneAreArchivedByteForByteAcrossRestartsOfAthenaAndOfTheServer() throws Exception {
        try (PostgresCluster pg = new PostgresCluster("wal")) {
            Repository repository = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
            WalArchive archive = new WalArchive(repository);
            pg.sql("postgres", "CREATE TABLE t (id int, payload text)");
            WalArchiver archiver = archiver(pg, archive).start();
            try {
                pg.sql("postgres", "INSERT INTO t SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
                long committed = currentLsn(pg);
                awaitArchived(archiver, committed);
                assertThat(archive.list(SEGMENT)).anyMatch(WalArchive.Entry::partial);
                assertThat(archiver.status().streaming()).isTrue();
                assertThat(archive.info().segmentSize()).isEqualTo(SEGMENT);

                // A switch completes the segment: stored whole, identical to the server's file.
                pg.sql("postgres", "SELECT pg_switch_wal()", "INSERT INTO t VALUES (0, 'after the switch')");
                awaitArchived(archiver, currentLsn(pg));
                WalArchive.Entry full = archive.list(SEGMENT).stream().filter(e -> !e.partial()).reduce((a, b) -> b).orElseThrow();
                assertThat(archive.read(full)).isEqualTo(Files.readAllBytes(pg.dataDir().resolve("pg_wal").resolve(full.name())));
                WalArchive.Entry partial = archive.list(SEGMENT).stream().filter(WalArchive.Entry::partial).reduce((a, b) -> b).orElseThrow();
                byte[] growing = archive.read(partial);
                byte[] onServer = Files.readAllBytes(pg.dataDir().resolve("pg_wal").resolve(partial.name()));
                assertThat(growing).isEqualTo(java.util.Arrays.copyOf(onServer, growing.length));
            } finally {
                archiver.close();
            }

            // Athena is stopped while the platform writes: the slot kept the WAL, and a new archiver carries on where the archive ends.
            pg.sql("postgres", "INSERT INTO t SELECT g, repeat('y', 200) FROM generate_series(1, 20000) g", "SELECT pg_switch_wal()",
                    "INSERT INTO t VALUES (-1, 'while Athena was down')");
            long whileDown = currentLsn(pg);
            archiver = archiver(pg, archive).start();
            try {
                awaitArchived(archiver, whileDown);
                // The server restarts (as after a crash): the archiver reconnects and goes on.
                pg.restart();
                pg.sql("postgres", "INSERT INTO t SELECT g, repeat('z', 200) FROM generate_series(1, 5000) g");
                awaitArchived(archiver, currentLsn(pg));
                assertThat(archiver.status().gap()).isNull();
                assertNoHole(archive);
                WalArchive.Entry full = archive.list(SEGMENT).stream().filter(e -> !e.partial()).reduce((a, b) -> b).orElseThrow();
                assertThat(archive.read(full)).isEqualTo(Files.readAllBytes(pg.dataDir().resolve("pg_wal").resolve(full.name())));
            } finally {
                archiver.close();
            }
        }
    }
}
