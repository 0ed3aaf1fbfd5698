package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.testing.MutableClock;
import dev.athena.testing.ServiceFixture;

/**
 * Continuous verification on an injected clock: each run reads the next half of the packs, two
 * runs make a recorded cycle, and a pack damaged on disk is found on the verification's own,
 * with the backup that needs it recorded Failed and damaged, the other left alone.
 */
class ContinuousVerificationTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    private static JsonNode runAt(ServiceFixture athena, MutableClock clock, String at) throws Exception {
        String before = athena.call("GET", API + "/verifystatus", null).json().path("lastFinishedAt").asText();
        clock.set(Instant.parse(at));
        return Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.call("GET", API + "/verifystatus", null).json(),
                s -> s.hasNonNull("lastFinishedAt") && !s.get("lastFinishedAt").asText().equals(before));
    }

    private static List<Path> packs(Path backups) throws Exception {
        try (Stream<Path> files = Files.walk(backups.resolve("app/repository/data"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void runsReadAShareEachCompleteARecordedCycleAndMarkTheBackupThatNeedsADamagedPack() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), clock,
                Map.of("VERIFY_FREQUENCY", "0 0 4 * * *", "VERIFY_READ_DATA_PERCENT", "50"))) {
            Path backups = athena.root.resolve("backups");
            byte[] a = new byte[3_000_000];
            new Random(1).nextBytes(a);
            Files.write(athena.metagraph.resolve("a.bin"), a);
            String first = athena.backup();
            Path firstPack = packs(backups).stream().max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
            Files.delete(athena.metagraph.resolve("a.bin"));
            byte[] b = new byte[3_000_000];
            new Random(2).nextBytes(b);
            Files.write(athena.metagraph.resolve("b.bin"), b);
            clock.set(Instant.parse("2026-12-01T12:00:00Z"));
            String second = athena.backup();
            int total = packs(backups).size();
            assertThat(total).isGreaterThanOrEqualTo(2);

            JsonNode off = athena.call("GET", API + "/verifystatus", null).json();
            assertThat(off.get("when").asText()).isEqualTo("on 0 0 4 * * *");
            assertThat(off.has("lastResult")).as("none before 04:00").isFalse();

            JsonNode one = runAt(athena, clock, "2026-12-02T04:00:01Z");
            assertThat(one.get("lastResult").asText()).isEqualTo("Success");
            assertThat(one.get("lastRun").get("packsChecked").asLong()).isEqualTo((total + 1) / 2);
            assertThat(one.get("lastRun").get("manifestsChecked").asInt()).isEqualTo(2);
            assertThat(one.get("lastRun").get("cycleCompleted").asBoolean()).isFalse();
            JsonNode two = runAt(athena, clock, "2026-12-03T04:00:01Z");
            assertThat(two.get("lastRun").get("cycleCompleted").asBoolean()).as("two halves make a cycle").isTrue();
            assertThat(two.get("cycle").get("lastCyclePacks").asLong()).isEqualTo(total);
            assertThat(two.get("cycle").get("lastCycleStartedAt").asText()).startsWith("2026-12-02T04:00");

            // One byte in the middle of the first backup's big file, as a failing disk would change it.
            byte[] bytes = Files.readAllBytes(firstPack);
            bytes[bytes.length / 3] ^= 0x40;
            Files.write(firstPack, bytes);
            JsonNode three = runAt(athena, clock, "2026-12-04T04:00:01Z");
            JsonNode four = three.get("lastResult").asText().equals("Failed") ? three : runAt(athena, clock, "2026-12-05T04:00:01Z");
            assertThat(four.get("lastResult").asText()).as("a cycle reads every pack").isEqualTo("Failed");
            assertThat(four.get("lastRun").get("affected").has(first)).isTrue();
            assertThat(four.get("lastRun").get("affected").get(first).asText()).contains("component metagraph, file a.bin", "damaged pack");

            JsonNode damaged = athena.call("GET", API + "/backupstatus?timestamp=" + first, null).json();
            assertThat(damaged.get("status").asText()).isEqualTo("Failed");
            assertThat(damaged.get("damaged").asBoolean()).isTrue();
            assertThat(damaged.get("error").asText()).contains("damaged:", "a.bin", "found by the verification of");
            assertThat(athena.call("GET", API + "/backupstatus?timestamp=" + second, null).json().get("status").asText())
                    .as("the other backup needs nothing of the damaged data").isEqualTo("Success");
            assertThat(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + first + "\"}").status()).isEqualTo(409);
            String metrics = athena.send("GET", "/metrics", null).body();
            assertThat(metrics).contains("athena_verify_damaged_backups 1.0");
        }
    }

    @Test
    void withoutVerifyFrequencyTheStatusSaysHowToTurnItOn() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"))) {
            ServiceFixture.Reply r = athena.call("GET", API + "/verifystatus", null);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.json().get("message").asText()).contains("VERIFY_FREQUENCY");
        }
    }
}
