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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.repository.Json;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.ServiceFixture;

/** A drill of a damaged backup fails naming the component and file; a drill killed with SIGKILL is cleaned up and recorded Failed at the next start. */
class DrillFaultsTest {
    private static final String API = "/athena/api/v1";
    private static final String KEY = "drill-faults-key-0123456789";
    @TempDir
    Path tmp;

    @Test
    void aDrillOfADamagedBackupFailsNamingTheComponentAndFileAndLeavesNothing() throws Exception {
        Path scratch = tmp.resolve("drills");
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), java.time.Clock.systemUTC(), Map.of("DRILL_SCRATCH_DIR", scratch.toString()))) {
            byte[] a = new byte[3_000_000];
            new Random(3).nextBytes(a);
            Files.write(athena.metagraph.resolve("a.bin"), a);
            String ts = athena.backup();
            Path pack;
            try (Stream<Path> packs = Files.walk(athena.root.resolve("backups/app/repository/data"))) {
                pack = packs.filter(Files::isRegularFile).max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(pack);
            bytes[bytes.length / 3] ^= 0x40;
            Files.write(pack, bytes);

            ServiceFixture.Reply started = athena.call("POST", API + "/ondemanddrill", "{\"timestamp\": \"" + ts + "\"}");
            assertThat(started.status()).isEqualTo(202);
            assertThat(started.json().get("message").asText()).startsWith("Request Accepted with drillId ");
            JsonNode drill = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> athena.call("GET", API + "/drillstatus", null).json(),
                    d -> !d.get("status").asText().equals("Running"));
            assertThat(drill.get("status").asText()).isEqualTo("Failed");
            assertThat(drill.get("error").asText()).contains("metagraph", "a.bin");
            // The pre-restore checks failed before anything was written: the folder was never made, or is empty.
            if (Files.isDirectory(scratch.resolve("app"))) {
                try (Stream<Path> left = Files.list(scratch.resolve("app"))) {
                    assertThat(left).as("nothing left behind").isEmpty();
                }
            }
            assertThat(drill.get("phases").toString()).contains("pre-restore checks");
            assertThat(Files.readAllBytes(athena.metagraph.resolve("a.bin"))).as("the platform untouched").isEqualTo(a);
        }
    }

    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Process serve(Path log, Path scratch) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = AthenaProcess.builder(List.of(), "serve").redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString(), "METAGRAPH_VOLUME_PATH",
                tmp.resolve("metagraph").toString(), "ATHENA_API_KEYS", KEY, "ATHENA_PORT", Integer.toString(port),
                "ATHENA_STATE_DIR", tmp.resolve("state").toString(), "DRILL_SCRATCH_DIR", scratch.toString()));
        Process p = pb.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call("GET", "/healthz", null).statusCode() == 200);
        return p;
    }

    private HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aDrillKilledWithSigkillIsCleanedUpAndReadsFailedAfterARestart() throws Exception {
        Path metagraph = Files.createDirectories(tmp.resolve("metagraph"));
        Random random = new Random(4);
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[4_000_000];
            random.nextBytes(data);
            Files.write(metagraph.resolve("f" + i + ".bin"), data);
        }
        Path scratch = tmp.resolve("drills");
        Path log = tmp.resolve("serve.log");
        Process first = serve(log, scratch);
        try {
            assertThat(call("POST", API + "/ondemandbackup", "{}").statusCode()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
                HttpResponse<String> r = call("GET", API + "/backup/latest", null);
                return r.statusCode() == 200 && Json.MAPPER.readTree(r.body()).get("status").asText().equals("Success");
            });
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> call("POST", API + "/ondemanddrill", "{}").statusCode() == 202);
            // Killed while it writes into its scratch folder.
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!Files.isDirectory(scratch.resolve("app"))) {
                    return false;
                }
                try (Stream<Path> files = Files.walk(scratch.resolve("app"))) {
                    return files.anyMatch(p -> p.getFileName().toString().endsWith(".bin") || p.getFileName().toString().contains("athena"));
                }
            });
        } finally {
            first.destroyForcibly().waitFor();
        }
        try (Stream<Path> left = Files.list(scratch.resolve("app"))) {
            assertThat(left).as("the kill left the drill's folder").isNotEmpty();
        }
        Process second = serve(log, scratch);
        try {
            JsonNode drill = Json.MAPPER.readTree(call("GET", API + "/drillstatus", null).body());
            assertThat(drill.get("status").asText()).isEqualTo("Failed");
            assertThat(drill.get("error").asText()).contains("interrupted", "removed");
            try (Stream<Path> left = Files.list(scratch.resolve("app"))) {
                assertThat(left).as("its leftovers are gone").isEmpty();
            }
        } finally {
            second.destroy();
            second.waitFor();
        }
    }
}
