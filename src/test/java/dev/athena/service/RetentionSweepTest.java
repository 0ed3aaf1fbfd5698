package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.MutableClock;
import dev.athena.testing.ServiceFixture;

/** Retention in the running service, on an injected clock: after each backup, old backups and their data go. */
class RetentionSweepTest {
    @TempDir
    Path tmp;

    private long packBytes() throws java.io.IOException {
        try (var files = Files.walk(tmp.resolve("backups/app/repository/data"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String backup(ServiceFixture athena) throws Exception {
        String ts = ServiceFixture.timestampOf(athena.call("POST", "/athena/api/v1/ondemandbackup", "{}"));
        assertThat(athena.awaitFinished("/athena/api/v1/backupstatus", ts).get("status").asText()).isEqualTo("Success");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> athena.service.jobs().running().isEmpty());
        return ts;
    }

    @Test
    void backupsOlderThanTheRetentionPeriodAreDeletedWithTheirData() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp, clock, Map.of("BACKUP_RETENTION_PERIOD", "90"))) {
            byte[] noise = new byte[3 * 1024 * 1024];
            new java.util.Random(5).nextBytes(noise);
            Files.write(athena.metagraph.resolve("only-in-the-first.bin"), noise);
            String first = backup(athena);
            Files.delete(athena.metagraph.resolve("only-in-the-first.bin"));
            clock.advance(Duration.ofDays(10));
            String second = backup(athena);
            clock.advance(Duration.ofDays(85));
            long before = packBytes();
            String third = backup(athena);

            assertThat(athena.service.records().list()).extracting(BackupRecord::timestamp).containsExactly(third, second);
            assertThat(Files.exists(tmp.resolve("backups/app/" + first))).isFalse();
            assertThat(athena.call("GET", "/athena/api/v1/backupstatus?timestamp=" + first, null).status()).isEqualTo(404);
            assertThat(packBytes()).as("the first backup's own data was pruned").isLessThan(before - 3 * 1024 * 1024);
        }
    }

    @Test
    void zeroKeepsOnlyTheNewestSuccessfulBackup() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp, clock, Map.of("BACKUP_RETENTION_PERIOD", "0"))) {
            backup(athena);
            clock.advance(Duration.ofMinutes(5));
            String last = backup(athena);
            assertThat(athena.service.records().list()).extracting(BackupRecord::timestamp).containsExactly(last);
        }
    }
}
