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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.Timestamps;
import dev.athena.repository.Json;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.Trees;

/**
 * Two replicas of {@code athena serve} as processes, as behind one Kubernetes Service: one leads
 * and runs the schedule, either answers the API, and when the leader is killed (kill -9) while a
 * backup runs, the other takes over within a minute, records that backup as Failed with the reason
 * and carries on with the schedule. A replacement replica then joins as a follower and forwards a
 * restore to the new leader.
 */
class HighAvailabilityTest {
    private static final String KEY = "high-availability-key-0123456789";
    private static final int LEASE_SECONDS = 6;

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private Path volume;

    private record Replica(String name, Process process, int port) {
    }

    private Replica start(String name) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = AthenaProcess.builder(List.of("-Xmx256m"), "serve")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(name + ".log").toFile()));
        Map<String, String> env = new HashMap<>(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString(), "ATHENA_NAMESPACE", "prod",
                "METAGRAPH_VOLUME_PATH", volume.toString(), "ATHENA_API_KEYS", KEY, "ATHENA_PORT", Integer.toString(port),
                "ATHENA_STATE_DIR", tmp.resolve(name + "-state").toString(), "ATHENA_LEADER_ELECTION", "true",
                "ATHENA_LEASE_SECONDS", Integer.toString(LEASE_SECONDS), "ATHENA_ADVERTISE_URL", "http://localhost:" + port));
        env.putAll(Map.of("ENABLE_REGULAR_BACKUPS", "true", "BACKUP_FREQUENCY", "*/5 * * * * *",
                // A backup holds here while the test's marker exists, so the leader can be killed in the middle of one.
                "METAGRAPH_PRE_BACKUP_COMMAND", "while [ -f " + tmp.resolve("hold") + " ]; do sleep 0.2; done"));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call(port, "GET", "/healthz", null).statusCode() == 200);
        return new Replica(name, p, port);
    }

    @AfterEach
    void stop() throws IOException {
        processes.forEach(Process::destroyForcibly);
        Files.deleteIfExists(tmp.resolve("hold"));
    }

    private HttpResponse<String> call(int port, String method, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", KEY)
                .timeout(Duration.ofSeconds(30)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean leads(Replica r) throws Exception {
        return MetricsTest.value(MetricsTest.parse(call(r.port(), "GET", "/metrics", null).body()), "athena_leader", java.util.Map.of()) == 1;
    }

    private List<JsonNode> backups(Replica r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(call(r.port(), "GET", "/athena/api/v1/backuplist", null).body()).forEach(out::add);
        return out;
    }

    private String log(Replica r) throws IOException {
        return Files.readString(tmp.resolve(r.name() + ".log"));
    }

    @Test
    void theLeaderKilledMidBackupIsReplacedWithinAMinuteAndItsBackupReadsFailed() throws Exception {
        volume = Trees.randomFiles(tmp.resolve("metagraph"), 4, 50_000, 7);
        Replica a = start("a");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> leads(a));
        Replica b = start("b");
        assertThat(leads(b)).as(log(b)).isFalse();

        // Either replica answers; the schedule runs once per due time, on the leader.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backups(b).stream().filter(j -> j.get("status").asText().equals("Success")).count() >= 2);
        assertThat(log(b)).doesNotContain("periodic backup due");
        assertThat(log(a)).contains("periodic backup due");

        // A backup holds in its hook; the leader dies in the middle of it.
        Files.writeString(tmp.resolve("hold"), "");
        String held = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> backups(b).stream()
                .filter(j -> j.get("status").asText().equals("Running")).map(j -> j.get("timestamp").asText()).findFirst().orElse(null),
                java.util.Objects::nonNull);
        Instant killed = Instant.now();
        a.process().destroyForcibly().waitFor();
        Files.delete(tmp.resolve("hold"));

        // While nobody leads, a job asked of the follower is a clear 503, never lost or run twice.
        HttpResponse<String> meanwhile = call(b.port(), "POST", "/athena/api/v1/ondemandbackup", "{}");
        assertThat(meanwhile.statusCode()).as(meanwhile.body()).isIn(503, 202, 409);
        if (meanwhile.statusCode() == 503) {
            assertThat(meanwhile.headers().firstValue("Retry-After")).isPresent();
        }

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> leads(b));
        Duration handover = Duration.between(killed, Instant.now());
        assertThat(handover).as("handover").isLessThan(Duration.ofMinutes(1));
        System.out.println("handover after kill -9 of the leader: " + handover.toMillis() + " ms (lease " + LEASE_SECONDS + " s)");

        JsonNode failed = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backups(b).stream()
                .filter(j -> j.get("timestamp").asText().equals(held)).findFirst().orElse(null), j -> j != null && !j.get("status").asText().equals("Running"));
        assertThat(failed.get("status").asText()).isEqualTo("Failed");
        assertThat(failed.get("error").asText()).contains("interrupted: the leader", "stopped renewing its lease", "another replica took over");

        // The schedule carries on from the new leader.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backups(b).stream().anyMatch(j -> j.get("status").asText().equals("Success")
                && Timestamps.parse(j.get("timestamp").asText()).isAfter(killed)));

        // A replacement replica joins as a follower and hands a restore to the leader.
        Replica c = start("c");
        assertThat(leads(c)).isFalse();
        String good = backups(b).stream().filter(j -> j.get("status").asText().equals("Success")).findFirst().orElseThrow().get("timestamp").asText();
        HttpResponse<String> restore = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> call(c.port(), "POST", "/athena/api/v1/ondemandrestore", "{\"timestamp\": \"" + good + "\"}"), r -> r.statusCode() != 409);
        assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
        assertThat(restore.headers().firstValue("X-Athena-Leader")).contains("http://localhost:" + b.port());
        JsonNode restored = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            HttpResponse<String> r = call(c.port(), "GET", "/athena/api/v1/restorestatus?timestamp=" + good, null);
            JsonNode j = r.statusCode() == 200 ? Json.MAPPER.readTree(r.body()) : null;
            return j != null && !j.get("status").asText().equals("Running") ? j : null;
        }, java.util.Objects::nonNull);
        assertThat(restored.get("status").asText()).as(restored.toString()).isEqualTo("Success");
        assertThat(log(c)).doesNotContain("periodic backup due");
    }
}
