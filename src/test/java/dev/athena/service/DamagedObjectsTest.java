package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;
import dev.athena.testing.ServiceFixture.Reply;

/**
 * One damaged object never takes the rest down: with manifests and records overwritten by random
 * bytes or JSON of the wrong shape, serve starts, lists every backup (the damaged ones marked),
 * and restores the intact ones.
 */
class DamagedObjectsTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    private static List<String> backUpFourTimes(ServiceFixture athena) throws Exception {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Reply r = athena.call("POST", API + "/ondemandbackup", "{}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            String ts = ServiceFixture.timestampOf(r);
            assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");
            // The retention sweep after a backup is part of its job: the next request waits for it.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> athena.service.jobs().running().isEmpty());
            made.add(ts);
        }
        return made;
    }

    /** Four backups by a service that is then stopped, so the test can damage them before the next one starts. */
    private List<String> backUpFourTimesAndStop() throws Exception {
        try (ServiceFixture first = new ServiceFixture(tmp)) {
            return backUpFourTimes(first);
        }
    }

    @Test
    void serveStartsListsEveryBackupAndRestoresTheIntactOnes() throws Exception {
        List<String> ts = backUpFourTimesAndStop();
        Path ns = tmp.resolve("backups/app");
        byte[] noise = new byte[300];
        new Random(5).nextBytes(noise);
        // 0: manifest and record random bytes; 1: both JSON of the wrong shape; 2: only the record damaged; 3: intact.
        Files.write(ns.resolve(ts.get(0)).resolve("manifest.json"), noise);
        Files.write(ns.resolve(ts.get(0)).resolve("status.json"), noise);
        Files.writeString(ns.resolve(ts.get(1)).resolve("manifest.json"), "[\"not\", \"a\", \"manifest\"]");
        Files.writeString(ns.resolve(ts.get(1)).resolve("status.json"), "{\"status\": 17}");
        Files.writeString(ns.resolve(ts.get(2)).resolve("status.json"), "{}");

        try (ServiceFixture again = new ServiceFixture(tmp)) {
            JsonNode list = again.call("GET", API + "/backuplist", null).json();
            assertThat(list).hasSize(4);
            JsonNode byTs0 = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(0), null).json();
            assertThat(byTs0.get("status").asText()).isEqualTo("Failed");
            assertThat(byTs0.get("damaged").asBoolean()).isTrue();
            assertThat(byTs0.get("error").asText()).contains("damaged").contains("manifest");
            JsonNode byTs1 = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(1), null).json();
            assertThat(byTs1.get("damaged").asBoolean()).isTrue();
            JsonNode byTs2 = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(2), null).json();
            assertThat(byTs2.get("status").asText()).isEqualTo("Success");
            assertThat(byTs2.get("warnings").toString()).contains("status record is damaged");

            Reply refused = again.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts.get(0) + "\"}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("message").asText()).contains("damaged");

            for (String good : List.of(ts.get(2), ts.get(3))) {
                Reply r = again.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + good + "\"}");
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                JsonNode done = again.awaitFinished(API + "/restorestatus", good);
                assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("Success");
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> again.service.jobs().running().isEmpty());
            }
        }
    }

    /** Metadata planted by whoever can write to the location: oversized, nested beyond reason, of the wrong type. */
    @Test
    void hostileManifestsAndRecordsAreRefusedAsDamagedWithoutBeingReadWhole() throws Exception {
        List<String> ts = backUpFourTimesAndStop();
        Path ns = tmp.resolve("backups/app");
        byte[] huge = new byte[65 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        // The first three as the CLI makes them, with no status record: their manifests are what the service reads.
        for (int i = 0; i < 3; i++) {
            Files.delete(ns.resolve(ts.get(i)).resolve("status.json"));
        }
        Files.write(ns.resolve(ts.get(0)).resolve("manifest.json"), huge);
        // Deep inside a field no reader knows, which a lenient reader would skip through.
        Files.writeString(ns.resolve(ts.get(1)).resolve("manifest.json"), "{\"extra\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        Files.writeString(ns.resolve(ts.get(2)).resolve("manifest.json"), "\"a string, not a manifest\"");
        Files.write(ns.resolve(ts.get(3)).resolve("status.json"), huge);

        try (ServiceFixture again = new ServiceFixture(tmp)) {
            assertThat(again.call("GET", API + "/backuplist", null).json()).hasSize(4);
            JsonNode big = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(0), null).json();
            assertThat(big.get("damaged").asBoolean()).isTrue();
            assertThat(big.get("error").asText()).contains("larger than the 64 MiB");
            JsonNode deep = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(1), null).json();
            assertThat(deep.get("damaged").asBoolean()).isTrue();
            assertThat(deep.get("error").asText()).contains("nesting depth");
            JsonNode wrongType = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(2), null).json();
            assertThat(wrongType.get("damaged").asBoolean()).isTrue();
            JsonNode bigRecord = again.call("GET", API + "/backupstatus?timestamp=" + ts.get(3), null).json();
            assertThat(bigRecord.get("status").asText()).isEqualTo("Success");
            assertThat(bigRecord.get("warnings").toString()).contains("status record is damaged", "larger than the 64 MiB");
            Reply r = again.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts.get(3) + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(again.awaitFinished(API + "/restorestatus", ts.get(3)).get("status").asText()).isEqualTo("Success");
        }
    }
}
