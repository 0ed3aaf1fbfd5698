package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.Json;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.ServiceFixture;

/** Athena as a process: killed with SIGKILL mid-backup, stopped with SIGTERM, started again. */
class ServiceLifecycleTest {
    private static final String KEY = "lifecycle-key";
    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    private Process serve(Path log) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = AthenaProcess.builder(List.of(), "serve").redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString(),
                "METAGRAPH_VOLUME_PATH", tmp.resolve("metagraph").toString(), "ATHENA_API_KEYS", KEY,
                "ATHENA_PORT", Integer.toString(port), "ATHENA_STATE_DIR", tmp.resolve("state").toString()));
        Process p = pb.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get("/healthz").statusCode() == 200);
        return p;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String postBackup() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/athena/api/v1/ondemandbackup"))
                .header("Authorization", KEY).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(() -> r.body() + "\n" + logTail()).isEqualTo(202);
        String m = Json.MAPPER.readTree(r.body()).get("message").asText();
        return m.substring(m.lastIndexOf(' ') + 1);
    }

    /** The end of the service's log, for a failure message. */
    private String logTail() {
        try {
            String all = Files.readString(tmp.resolve("athena.log"));
            return all.substring(Math.max(0, all.length() - 4000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private JsonNode status(String ts) throws IOException, InterruptedException {
        return Json.MAPPER.readTree(get("/athena/api/v1/backupstatus?timestamp=" + ts).body());
    }

    private void addRandomData(String prefix, int files) throws IOException {
        Random random = new Random(prefix.hashCode());
        byte[] b = new byte[10 * 1024 * 1024];
        Files.createDirectories(tmp.resolve("metagraph"));
        for (int i = 0; i < files; i++) {
            random.nextBytes(b);
            Files.write(tmp.resolve("metagraph/" + prefix + i + ".bin"), b);
        }
    }

    @Test
    void aBackupKilledWithSigkillReadsFailedInterruptedAfterARestartAndTheNextSucceeds() throws Exception {
        addRandomData("a", 15);
        Path log = tmp.resolve("athena.log");
        Process first = serve(log);
        String killed = postBackup();
        assertThat(status(killed).get("status").asText()).isEqualTo("Running");
        first.destroyForcibly().waitFor();

        Process second = serve(log);
        JsonNode after = status(killed);
        assertThat(after.get("status").asText()).isEqualTo("Failed");
        assertThat(after.get("error").asText()).contains("interrupted");
        String next = postBackup();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !"Running".equals(status(next).get("status").asText()));
        assertThat(status(next).get("status").asText()).isEqualTo("Success");

        // SIGTERM while a backup runs: the backup is given its grace period and finishes.
        addRandomData("b", 10);
        String graceful = postBackup();
        second.destroy();
        assertThat(second.waitFor()).isNotNegative();
        Process third = serve(log);
        assertThat(status(graceful).get("status").asText()).isEqualTo("Success");
        third.destroy();
        third.waitFor();
        assertThat(Files.readString(log)).contains("a running job gets 60 s to finish").doesNotContain(KEY);
    }

    @Test
    void aJobStillRunningWhenTheGracePeriodEndsIsRecordedAsInterrupted() throws Exception {
        ServiceFixture athena = new ServiceFixture(tmp);
        athena.blocking.hold();
        String ts = ServiceFixture.timestampOf(athena.call("POST", "/athena/api/v1/ondemandbackup", "{}"));
        assertThat(athena.blocking.awaitEntered()).isTrue();
        athena.api.close();
        athena.service.stop(Duration.ofMillis(200));
        BackupRecord r = athena.service.records().find(ts).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.Failed);
        assertThat(r.error()).contains("interrupted");
        athena.blocking.release();
    }
}
