package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;

/** One backup holds every configured component, or fails as a whole, naming the component. */
class PlatformBackupTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    @Test
    void anOnlyConfigBackupHoldsTheConfigAloneAndItsRestoreTouchesNothingElse() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{\"onlyConfig\": true}"));
            JsonNode record = athena.awaitFinished(API + "/backupstatus", ts);
            assertThat(record.get("components")).extracting(JsonNode::asText).containsExactly("config");

            Files.writeString(athena.metagraph.resolve("graph.db"), "changed after the backup");
            Files.writeString(athena.configMap.resolve("APP_HOST"), "changed.example.com");
            // The timestamp may also come as ?timestamp=, as on every endpoint.
            assertThat(athena.call("POST", API + "/ondemandrestore?timestamp=" + ts, "{}").status()).isEqualTo(202);
            JsonNode restore = athena.awaitFinished(API + "/restorestatus", ts);

            assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("Success");
            assertThat(restore.get("components").fieldNames()).toIterable().containsExactly("config");
            assertThat(Files.readString(athena.configMap.resolve("APP_HOST"))).isEqualTo("app.example.com");
            assertThat(Files.readString(athena.metagraph.resolve("graph.db"))).isEqualTo("changed after the backup");
        }
    }

    @Test
    void aComponentThatFailsFailsTheWholeBackupWithItsNameAndReason() throws Exception {
        // PostgreSQL configured on a port where nothing listens.
        try (ServiceFixture athena = new ServiceFixture(tmp, Clock.systemUTC(), Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", "1",
                "POSTGRES_PASSWORD", "never-logged-secret"))) {
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            JsonNode record = athena.awaitFinished(API + "/backupstatus", ts);
            assertThat(record.get("status").asText()).isEqualTo("Failed");
            assertThat(record.get("error").asText()).contains("component postgres").contains("cannot connect to PostgreSQL")
                    .doesNotContain("never-logged-secret");
            assertThat(Files.exists(tmp.resolve("backups/app/" + ts + "/manifest.json"))).isFalse();
            assertThat(athena.call("GET", API + "/backup/latest", null).json().get("status").asText()).isEqualTo("Failed");
        }
    }

    @Test
    void whenOneVolumeFailsToRestoreTheOtherIsRestoredWholeAndTheConfigIsLeftAlone() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            JsonNode backup = athena.awaitFinished(API + "/backupstatus", ts);
            assertThat(backup.get("status").asText()).isEqualTo("Success");
            assertThat(backup.get("windows").fieldNames()).toIterable().as("when each component was captured")
                    .containsExactly("metagraph", "gitserver", "config");
            assertThat(backup.get("windows").get("gitserver").get("startedAt").asText()).isNotBlank();
            Path marker = Files.writeString(athena.gitserver.resolve("changed-after-backup"), "x");
            Files.writeString(athena.configMap.resolve("APP_HOST"), "changed.example.com");

            athena.blocking.failRestores("injected: the metagraph volume is read-only");
            assertThat(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}").status()).isEqualTo(202);
            JsonNode restore = athena.awaitFinished(API + "/restorestatus", ts);

            assertThat(restore.get("status").asText()).isEqualTo("Failed");
            JsonNode components = restore.get("components");
            assertThat(components.get("metagraph").get("error").asText()).contains("injected: the metagraph volume is read-only");
            assertThat(components.get("gitserver").get("status").asText()).as("restored beside metagraph, to its end").isEqualTo("Success");
            assertThat(Files.exists(marker)).isFalse();
            assertThat(components.get("config").get("error").asText()).isEqualTo("not restored: metagraph failed first");
            assertThat(Files.readString(athena.configMap.resolve("APP_HOST"))).isEqualTo("changed.example.com");
            assertThat(components.fieldNames()).toIterable().as("in restore order").containsExactly("metagraph", "gitserver", "config");
        }
    }
}
