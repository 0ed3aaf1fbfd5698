package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.component.postgres.pitr.WalPosition;
import dev.athena.testing.PostgresCluster;
import dev.athena.testing.ServiceFixture;

/**
 * A point-in-time restore through the service, on a real PostgreSQL 15 cluster: base backups in
 * each backup (POSTGRES_BACKUP_MODE=both), the WAL archived by serve, rows committed one by one,
 * then POST /ondemandrestore with a targetTime between two of them. The cluster is recovered in its
 * own data folder, stopped and started by the configured commands.
 */
class PointInTimeRestoreTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    java.nio.file.Path tmp;

    private static String query(PostgresCluster pg, String sql) throws Exception {
        return pg.query("postgres", sql);
    }

    private static List<Integer> ids(PostgresCluster pg) throws Exception {
        return pg.ints("postgres", "SELECT id FROM t ORDER BY id");
    }

    private static void awaitArchived(ServiceFixture athena, PostgresCluster pg) throws Exception {
        long now = WalPosition.parseLsn(query(pg, "SELECT pg_current_wal_lsn()::text"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode s = athena.call("GET", API + "/walstatus", null).json();
            return s.hasNonNull("archivedLsn") && s.get("archivedLsn").asLong() >= now;
        });
    }

    @Test
    void aRestoreToAMomentHoldsExactlyTheRowsCommittedBeforeItAndArchivingGoesOnAfterwards() throws Exception {
        try (PostgresCluster pg = new PostgresCluster("pitr-service")) {
            pg.sql("postgres", "CREATE TABLE t (id int PRIMARY KEY, inserted_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            Map<String, String> env = new HashMap<>(Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(pg.port),
                    "POSTGRES_PASSWORD", PostgresCluster.PASSWORD, "POSTGRES_BACKUP_MODE", "both", "POSTGRES_WAL_ARCHIVE", "true",
                    "WAL_UPLOAD_INTERVAL_SECONDS", "1", "POSTGRES_DATA_DIR", pg.dataDir().toString(), "POSTGRES_STOP_COMMAND", pg.stopCommand(),
                    "POSTGRES_START_COMMAND", pg.startCommand()));
            try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), env)) {
                String backup = athena.backup();
                JsonNode record = athena.call("GET", API + "/backupstatus?timestamp=" + backup, null).json();
                assertThat(record.get("status").asText()).as(record.toString()).isEqualTo("Success");
                for (int i = 1; i <= 30; i++) {
                    pg.sql("postgres", "INSERT INTO t VALUES (" + i + ")");
                }
                for (int i = 31; i <= 60; i++) {
                    pg.sql("postgres", "INSERT INTO t VALUES (" + i + ")");
                }
                // The 31st row's clock, read while it was inserted: after the 30th commit, before its own.
                Instant target = Instant.parse(query(pg,
                        "SELECT to_char(inserted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM t WHERE id = 31"));
                awaitArchived(athena, pg);
                JsonNode wal = athena.call("GET", API + "/walstatus", null).json();
                assertThat(wal.get("streaming").asBoolean()).isTrue();
                assertThat(wal.get("timeline").asInt()).isEqualTo(1);

                // The server is lost: "latest" replays every archived transaction.
                ServiceFixture.Reply latest = athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"latest\"}");
                assertThat(latest.json().get("message").asText()).isEqualTo("Request Accepted with timestamp " + backup);
                JsonNode all = athena.awaitFinished(API + "/restorestatus", backup);
                assertThat(all.get("status").asText()).as(all.toString()).isEqualTo("Success");
                assertThat(ids(pg)).as("every committed row").isEqualTo(IntStream.rangeClosed(1, 60).boxed().toList());
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());

                // Athena chooses the backup: the newest at or before the target.
                ServiceFixture.Reply accepted = athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"" + target + "\"}");
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
                assertThat(accepted.json().get("message").asText()).isEqualTo("Request Accepted with timestamp " + backup);
                JsonNode restore = athena.awaitFinished(API + "/restorestatus", backup);
                assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("Success");
                assertThat(restore.get("request").get("targetTime").asText()).isEqualTo(target.toString());
                assertThat(restore.get("checks").toString()).contains("nothing committed after " + target + " was replayed");
                assertThat(ids(pg)).as("exactly the rows committed before " + target).isEqualTo(IntStream.rangeClosed(1, 30).boxed().toList());
                // The report says what each component was recovered to: PostgreSQL its 30th commit, just before the target;
                // the volumes their capture in the backup.
                JsonNode report = athena.call("GET", API + "/restorereport?timestamp=" + backup + "&restoreId=" + restore.get("restoreId").asText()
                        + "&format=json", null).json();
                assertThat(report.get("recoveredTo").get("postgres").get("behindTargetMs").asLong()).isBetween(0L, 1000L);
                assertThat(report.get("recoveredTo").get("metagraph").get("moment").asText()).startsWith(backup.substring(0, 10));
                // The RPO is measured against the target (the earliest component, here the volumes' capture), not the backup's age.
                long backupAge = Duration.between(dev.athena.backup.Timestamps.parse(backup), Instant.parse(restore.get("startedAt").asText()))
                        .getSeconds();
                assertThat(restore.get("rpoSeconds").asLong()).isLessThan(backupAge);
                assertThat(report.get("headline").asText()).contains("to " + target, "the earliest component");
                assertThat(athena.call("GET", API + "/restorereport?timestamp=" + backup + "&restoreId=" + restore.get("restoreId").asText(), null)
                        .body()).contains("Recovered to", "before the target");

                // Each recovery started a timeline of its own (2, then 3, never 2 again: the archive keeps the history files);
                // archiving finds the recovered cluster, makes its slot again, and goes on.
                pg.sql("postgres", "INSERT INTO t VALUES (1000)", "SELECT pg_switch_wal()");
                awaitArchived(athena, pg);
                assertThat(athena.call("GET", API + "/walstatus", null).json().get("timeline").asInt()).isEqualTo(3);
                assertThat(java.nio.file.Files.exists(athena.root.resolve("backups/app/wal/00000002.history"))).isTrue();

                // A moment before the first backup, or ahead of now, is refused with a reason.
                assertThat(athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"2020-01-01T00:00:00Z\"}").json().get("message").asText())
                        .contains("no successful backup");
                ServiceFixture.Reply future = athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"2999-01-01T00:00:00Z\"}");
                assertThat(future.status()).isEqualTo(400);
                assertThat(future.json().get("message").asText()).contains("in the future");
                assertThat(athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"yesterday\"}").status()).isEqualTo(400);
            }
        }
    }

    /**
     * Without POSTGRES_DATA_DIR the same restore recovers in a scratch server and loads the result into the running server,
     * which is never restarted; with POSTGRES_BASE_BACKUP_MAX_AGE_HOURS the second backup keeps the first one's base backup,
     * and restored without a target it is the database as it was when that backup ran.
     */
    @Test
    void withoutADataFolderTheMomentIsLoadedIntoTheRunningServerAndAKeptBaseBackupRestoresToItsOwnMoment() throws Exception {
        try (PostgresCluster pg = new PostgresCluster("pitr-logical")) {
            pg.sql("postgres", "CREATE TABLE t (id int PRIMARY KEY, inserted_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            // Athena runs as root here: the scratch server runs as postgres, which must reach the scratch folder.
            java.nio.file.Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Map<String, String> env = new HashMap<>(Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(pg.port),
                    "POSTGRES_PASSWORD", PostgresCluster.PASSWORD, "POSTGRES_BACKUP_MODE", "physical", "POSTGRES_WAL_ARCHIVE", "true",
                    "WAL_UPLOAD_INTERVAL_SECONDS", "1", "POSTGRES_BASE_BACKUP_MAX_AGE_HOURS", "24",
                    "ATHENA_SCRATCH_DIR", tmp.resolve("scratch").toString()));
            try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), env)) {
                String first = athena.backup();
                for (int i = 1; i <= 10; i++) {
                    pg.sql("postgres", "INSERT INTO t VALUES (" + i + ")");
                }
                Awaitility.await().until(() -> !dev.athena.backup.Timestamps.of(Instant.now()).equals(first));
                String second = athena.backup();
                dev.athena.repository.Manifest.ComponentSnapshot kept = dev.athena.repository.Repository.open(
                        new dev.athena.storage.LocalStore(athena.root.resolve("backups")), "app", null, false).readManifest(second).components().get("postgres");
                assertThat(kept.stats()).containsEntry("baseBackupKept", 1L);
                assertThat(kept.details()).containsKey("recoveryPoint");
                for (int i = 11; i <= 20; i++) {
                    pg.sql("postgres", "INSERT INTO t VALUES (" + i + ")");
                }
                Instant target = Instant.parse(query(pg,
                        "SELECT to_char(inserted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM t WHERE id = 16"));
                awaitArchived(athena, pg);
                String started = query(pg, "SELECT pg_postmaster_start_time()::text");

                ServiceFixture.Reply accepted = athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"" + target + "\"}");
                assertThat(accepted.json().get("message").asText()).isEqualTo("Request Accepted with timestamp " + second);
                JsonNode restore = athena.awaitFinished(API + "/restorestatus", second);
                assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("Success");
                assertThat(restore.get("checks").toString()).contains("row counts of database postgres match the recovered cluster");
                assertThat(ids(pg)).as("exactly the rows committed before " + target).isEqualTo(IntStream.rangeClosed(1, 15).boxed().toList());
                assertThat(query(pg, "SELECT pg_postmaster_start_time()::text")).as("the server stayed up").isEqualTo(started);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());

                // The second backup on its own: the kept base backup, replayed to that backup's WAL position.
                ServiceFixture.Reply plain = athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + second + "\"}");
                assertThat(plain.status()).as(plain.body()).isEqualTo(202);
                JsonNode own = athena.awaitFinished(API + "/restorestatus", second);
                assertThat(own.get("status").asText()).as(own.toString()).isEqualTo("Success");
                assertThat(ids(pg)).as("what was committed when backup " + second + " ran").isEqualTo(IntStream.rangeClosed(1, 10).boxed().toList());
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());

                // One database at the moment, beside the live one, which keeps its state.
                ServiceFixture.Reply item = athena.call("POST", API + "/ondemandrestore", "{\"targetTime\": \"" + target
                        + "\", \"svcs\": {\"postgres\": {\"include\": [\"postgres=at_target\"]}}}");
                assertThat(item.status()).as(item.body()).isEqualTo(202);
                JsonNode beside = athena.awaitFinished(API + "/restorestatus", second);
                assertThat(beside.get("status").asText()).as(beside.toString()).isEqualTo("Success");
                assertThat(pg.ints("at_target", "SELECT id FROM t ORDER BY id")).isEqualTo(IntStream.rangeClosed(1, 15).boxed().toList());
                assertThat(ids(pg)).as("the live database is left as it was").isEqualTo(IntStream.rangeClosed(1, 10).boxed().toList());
            }
        }
    }
}
