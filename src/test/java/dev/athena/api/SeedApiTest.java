package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.Json;
import dev.athena.testing.ServiceFixture;

/**
 * The seven curl requests of the seed document (shared/seed/backup-and-restore.md), sent with curl
 * as written there, with only the placeholders filled in, against a running service.
 */
class SeedApiTest {
    @TempDir
    Path tmp;
    ServiceFixture athena;

    @BeforeEach
    void start() throws Exception {
        athena = new ServiceFixture(tmp);
    }

    @AfterEach
    void stop() {
        athena.close();
    }

    private record Curl(int status, JsonNode body) {
    }

    /** Runs curl with the seed's options; {@code <prophecy-url>} and {@code <api-key>} filled in. */
    private Curl curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        for (String a : args) {
            cmd.add(a.replace("https://<prophecy-url>", "http://localhost:" + athena.api.port())
                    .replace("https://<destination-prophecy-url>", "http://localhost:" + athena.api.port())
                    .replace("https://app.prophecy.io", "http://localhost:" + athena.api.port())
                    .replace("<api-key>", ServiceFixture.KEY));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        int nl = out.lastIndexOf('\n');
        return new Curl(Integer.parseInt(out.substring(nl + 1).trim()), Json.MAPPER.readTree(out.substring(0, nl)));
    }

    @Test
    void theSeedsCurlRequestsGetTheSeedsAnswers() throws Exception {
        // On Demand Backup
        Curl backup = curl("--location", "--request", "POST", "https://<prophecy-url>/athena/api/v1/ondemandbackup",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json", "--data-raw", "{\n}");
        assertThat(backup.status()).isEqualTo(202);
        assertThat(backup.body().get("code").asInt()).isEqualTo(202);
        assertThat(backup.body().get("message").asText()).matches("Request Accepted with timestamp \\d{4}-\\d\\d-\\d\\dt\\d\\d-\\d\\d-\\d\\d");
        String ts = backup.body().get("message").asText().substring("Request Accepted with timestamp ".length());
        assertThat(athena.awaitFinished("/athena/api/v1/backupstatus", ts).get("status").asText()).isEqualTo("Success");

        // Get Latest Backup Details
        Curl latest = curl("--location", "--request", "GET", "https://<prophecy-url>/athena/api/v1/backup/latest",
                "--header", "Authorization: <api-key>", "--data-raw", "");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.body().get("backupurl").asText()).isEqualTo("file://" + tmp.resolve("backups") + "/app/" + ts + "/");
        assertThat(latest.body().get("namespace").asText()).isEqualTo("app");
        assertThat(latest.body().get("status").asText()).isEqualTo("Success");
        assertThat(latest.body().get("timestamp").asText()).isEqualTo(ts);
        assertThat(latest.body().get("components")).extracting(JsonNode::asText).containsExactly("metagraph", "gitserver", "config");

        // On Demand Backup of the configuration only
        Curl onlyConfig = curl("--location", "--request", "POST", "https://<prophecy-url>/athena/api/v1/ondemandbackup",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json", "--data-raw", "{\n \"onlyConfig\": true\n}");
        assertThat(onlyConfig.status()).isEqualTo(202);
        String configTs = onlyConfig.body().get("message").asText().substring("Request Accepted with timestamp ".length());
        JsonNode configRecord = athena.awaitFinished("/athena/api/v1/backupstatus", configTs);
        assertThat(configRecord.get("components")).extracting(JsonNode::asText).containsExactly("config");
        assertThat(configRecord.get("onlyConfig").asBoolean()).isTrue();

        // Get JobStatus of Given Backup
        Curl status = curl("--location", "--request", "GET", "https://<prophecy-url>/athena/api/v1/backupstatus",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json",
                "--data-raw", "{\n\"timestamp\": \"" + ts + "\"\n}");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("timestamp").asText()).isEqualTo(ts);
        assertThat(status.body().get("status").asText()).isEqualTo("Success");
        Curl seedTimestamp = curl("--location", "--request", "GET", "https://<prophecy-url>/athena/api/v1/backupstatus",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json",
                "--data-raw", "{\n\"timestamp\": \"2023-01-27t16-42-41\"\n}");
        assertThat(seedTimestamp.status()).isEqualTo(404);
        assertThat(seedTimestamp.body().get("code").asInt()).isEqualTo(404);

        // List All Backups
        Curl list = curl("--location", "--request", "GET", "https://app.prophecy.io/athena/api/v1/backuplist",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json", "--data-raw", "");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).extracting(n -> n.get("timestamp").asText()).containsExactly(configTs, ts);

        // On-demand Restore
        java.nio.file.Files.writeString(athena.metagraph.resolve("graph.db"), "changed after the backup");
        Curl restore = curl("--location", "--request", "POST", "https://<destination-prophecy-url>/athena/api/v1/ondemandrestore",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json", "--data-raw", """
                {
                    "timestamp": "%s",
                    "sourceNamespace": "app",
                    "enableReportGeneration": false,
                    "enableJenkinsTestRun": false,
                    "disableUpgrade": false,
                    "disablePreRestoreChecks": false,
                    "disablePostRestoreChecks": false,
                    "svcs": {
                        "gitserver": {
                            "disable": false
                        },
                        "metagraph": {
                            "disable": false
                        },
                        "postgres":  {
                            "disable": false
                        }
                    }
                }""".formatted(ts));
        assertThat(restore.status()).isEqualTo(202);
        assertThat(restore.body().get("code").asInt()).isEqualTo(202);
        assertThat(restore.body().get("message").asText()).isEqualTo("Request Accepted");

        // Get JobStatus of Restore
        JsonNode done = athena.awaitFinished("/athena/api/v1/restorestatus", ts);
        Curl restoreStatus = curl("--location", "--request", "GET", "https://<destination-prophecy-url>/athena/api/v1/restorestatus",
                "--header", "Authorization: <api-key>", "--header", "Content-Type: application/json",
                "--data-raw", "{\n    \"timestamp\": \"" + ts + "\"\n}");
        assertThat(restoreStatus.status()).isEqualTo(200);
        assertThat(restoreStatus.body().get("status").asText()).as(done.toString()).isEqualTo("Success");
        assertThat(restoreStatus.body().get("timestamp").asText()).isEqualTo(ts);
        assertThat(restoreStatus.body().get("namespace").asText()).isEqualTo("app");
        assertThat(restoreStatus.body().get("backupurl").asText()).endsWith("/app/" + ts + "/");
        assertThat(java.nio.file.Files.readString(athena.metagraph.resolve("graph.db"))).isEqualTo("nodes and edges");
    }
}
