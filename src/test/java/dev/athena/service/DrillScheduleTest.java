package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.MutableClock;
import dev.athena.testing.ServiceFixture;

/**
 * A scheduled drill does not hold up a periodic backup: one that the last drill's duration says
 * would still run at 02:00 waits for the 02:00 backup and starts after it (on an injected clock).
 */
class DrillScheduleTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void aDueDrillThatWouldRunIntoTheNextBackupStartsAfterIt() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T01:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), clock, Map.of("ENABLE_REGULAR_BACKUPS", "true",
                "BACKUP_FREQUENCY", "0 0 */2 * * *", "DRILL_FREQUENCY", "0 50 1 * * *", "DRILL_SCRATCH_DIR", tmp.resolve("drills").toString()))) {
            String first = athena.backup();
            // The last drill took 30 minutes (recorded as a drill records itself).
            Repository repository = Repository.open(new LocalStore(athena.root.resolve("backups")), "app", null, false);
            RestoreRequest request = new RestoreRequest(first, "app", true, false, true, true, false, Set.of(), false, false);
            new DrillRecords(repository).save(new RestoreRecord("file:///x", "app", JobStatus.Success, first, null, "2026-12-01t01-00-00-000",
                    "2026-12-01T01:00:00Z", "2026-12-01T01:30:00Z", 1_800_000L, request, List.of(), Map.of(), List.of(), null, null, List.of(),
                    null, null, null, 1800L, 0L, null, null, null, null, null, null));

            clock.set(Instant.parse("2026-12-02T01:50:01Z"));
            // The drill is due; through several ticks (one a second) it waits: only the earlier drill is listed.
            Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> athena.call("GET", API + "/drilllist", null).json().size() == 1);

            clock.set(Instant.parse("2026-12-02T02:00:01Z"));
            JsonNode drill = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> athena.call("GET", API + "/drilllist", null).json(), l -> l.size() == 2 && !l.get(0).get("status").asText().equals("Running"))
                    .get(0);
            JsonNode backups = athena.call("GET", API + "/backuplist", null).json();
            assertThat(backups).hasSize(2);
            JsonNode periodic = backups.get(0);
            assertThat(periodic.get("timestamp").asText()).isEqualTo("2026-12-02t02-00-01");
            assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("Success");
            assertThat(drill.get("timestamp").asText()).as("the drill takes the backup it waited for").isEqualTo(periodic.get("timestamp").asText());
        }
    }
}
