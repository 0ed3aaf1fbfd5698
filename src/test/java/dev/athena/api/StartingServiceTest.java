package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.config.AthenaConfig;
import dev.athena.config.PlatformComponents;
import dev.athena.repository.Json;
import dev.athena.service.AthenaService;
import dev.athena.storage.LocalStore;

/**
 * {@code serve} starts its HTTP server while the service is still starting (the repository's key
 * derivation): a request that comes meanwhile, /healthz included, is held and answered once the
 * service runs, and when the service cannot start every request gets a 503 saying why.
 */
class StartingServiceTest {
    @TempDir
    Path tmp;

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "k").build();
    }

    @Test
    void requestsWhileTheServiceStartsAreHeldUntilItRuns() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("metagraph"));
        AthenaConfig config = AthenaConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString(),
                "METAGRAPH_VOLUME_PATH", data.toString(), "ATHENA_API_KEYS", "k", "ATHENA_STATE_DIR", tmp.resolve("state").toString()));
        CompletableFuture<AthenaService> starting = new CompletableFuture<>();
        try (ApiServer api = new ApiServer(starting, ApiKeys.of(config.apiKeys())).start(0)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + api.port();
            CompletableFuture<HttpResponse<String>> health = http.sendAsync(get(base + "/healthz"), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> list = http.sendAsync(get(base + "/athena/api/v1/backuplist"), HttpResponse.BodyHandlers.ofString());
            // Nothing can answer before the service exists: both are still waiting whatever the timing.
            assertThat(health).isNotDone();
            assertThat(list).isNotDone();

            AthenaService service = new AthenaService(config, new LocalStore(tmp.resolve("backups")), Clock.systemUTC(), PlatformComponents.of(config));
            starting.complete(service.start());
            try {
                assertThat(health.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                HttpResponse<String> backups = list.get(30, TimeUnit.SECONDS);
                assertThat(backups.statusCode()).as(backups.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(backups.body()).isArray()).isTrue();
            } finally {
                service.stop(java.time.Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aServiceThatCannotStartAnswersEveryRequestWith503AndTheReason() throws Exception {
        CompletableFuture<AthenaService> starting = new CompletableFuture<>();
        try (ApiServer api = new ApiServer(starting, ApiKeys.of(java.util.List.of("k"))).start(0)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + api.port();
            CompletableFuture<HttpResponse<String>> held = http.sendAsync(get(base + "/healthz"), HttpResponse.BodyHandlers.ofString());
            starting.completeExceptionally(new IllegalStateException("ATHENA_ENCRYPTION_KEY does not open repository x: wrong key"));
            for (HttpResponse<String> r : new HttpResponse[] {held.get(30, TimeUnit.SECONDS),
                    http.send(get(base + "/athena/api/v1/backup/latest"), HttpResponse.BodyHandlers.ofString())}) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(Json.MAPPER.readTree(r.body()).get("message").asText())
                        .isEqualTo("Athena could not start: ATHENA_ENCRYPTION_KEY does not open repository x: wrong key");
            }
        }
    }
}
