package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.repository.Json;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.MutableClock;
import dev.athena.testing.ServiceFixture;

/**
 * GFS retention through the service, on an injected clock: GET /retentionplan (and `athena
 * retention`) say what the policy keeps and why before the sweep deletes anything, and the sweep
 * then deletes exactly what the plan said.
 */
class RetentionPlanTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    @Test
    void thePlanSaysWhatIsKeptAndWhyAndTheSweepDeletesExactlyTheRest() throws Exception {
        // The service starts on Dec 3, so its hourly sweep is next due at 13:00; the backups are made "earlier" by
        // setting the clock back, and the plan is read at 12:30, before any sweep could act on it.
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), clock,
                Map.of("BACKUP_RETENTION_PERIOD", "1", "RETENTION_KEEP_DAILY", "1", "RETENTION_KEEP_MONTHLY", "2"))) {
            clock.set(Instant.parse("2026-12-01T10:00:00Z"));
            String first = athena.backup();
            clock.set(Instant.parse("2026-12-01T20:00:00Z"));
            String second = athena.backup();
            clock.set(Instant.parse("2026-12-03T12:30:00Z"));

            JsonNode plan = athena.call("GET", API + "/retentionplan", null).json();
            assertThat(plan.get("rules").get("retentionDays").asInt()).isEqualTo(1);
            assertThat(plan.get("rules").get("keepDaily").asInt()).isEqualTo(1);
            List<String> order = new ArrayList<>();
            plan.get("backups").forEach(b -> order.add(b.get("timestamp").asText()));
            assertThat(order).as("newest first").containsExactly(second, first);
            JsonNode kept = plan.get("backups").get(0);
            assertThat(kept.get("keep").asBoolean()).isTrue();
            assertThat(Json.MAPPER.convertValue(kept.get("reasons"), List.class))
                    .containsExactly("the newest successful backup", "daily 2026-12-01", "monthly 2026-12");
            JsonNode going = plan.get("backups").get(1);
            assertThat(going.get("keep").asBoolean()).as("older than a day; its day and month are the second's").isFalse();
            assertThat(going.get("reasons")).isEmpty();
            assertThat(athena.call("GET", API + "/backuplist", null).json()).as("the plan deletes nothing").hasSize(2);

            Path out = tmp.resolve("retention.json");
            ProcessBuilder cli = AthenaProcess.builder(List.of(), "retention", "-o", "json");
            cli.environment().putAll(Map.of("ATHENA_URL", athena.url(""), "ATHENA_API_KEY", ServiceFixture.KEY));
            assertThat(cli.redirectOutput(out.toFile()).start().waitFor()).isZero();
            assertThat(Json.MAPPER.readTree(Files.readString(out))).isEqualTo(plan);
            Path table = tmp.resolve("retention.txt");
            ProcessBuilder human = AthenaProcess.builder(List.of(), "retention");
            human.environment().putAll(Map.of("ATHENA_URL", athena.url(""), "ATHENA_API_KEY", ServiceFixture.KEY));
            assertThat(human.redirectOutput(table.toFile()).start().waitFor()).isZero();
            assertThat(Files.readString(table)).contains("the newest of each of the last 1 day with a backup", "TIMESTAMP", "delete",
                    "nothing keeps it", "daily 2026-12-01");

            // The hourly sweep, due at 13:00, deletes what the plan said would go, and nothing else.
            clock.set(Instant.parse("2026-12-03T13:00:01Z"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.call("GET", API + "/backuplist", null).json().size() == 1);
            assertThat(athena.call("GET", API + "/backuplist", null).json().get(0).get("timestamp").asText()).isEqualTo(second);
        }
    }
}
