package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.config.AthenaConfig;
import dev.athena.config.PlatformComponents;
import dev.athena.repository.Json;
import dev.athena.service.AthenaService;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;

/**
 * Domain exceptions are the client's doing and answer 4xx with their message; anything else is a
 * fault of Athena's (here a store that breaks its contract with an IllegalStateException, as a
 * bug would) and answers a 500 with a generic message, its detail left to the log.
 */
class ErrorMappingTest {
    @TempDir
    Path tmp;

    /** A store whose listings fail the way a programming error does, once told to. */
    static final class BuggyStore extends ForwardingStore {
        final AtomicBoolean broken = new AtomicBoolean();

        BuggyStore(Path root) {
            super(new LocalStore(root));
        }

        @Override
        public List<StoredObject> list(String prefix) {
            if (broken.get()) {
                throw new IllegalStateException("index 7 out of bounds in the listing code");
            }
            return inner.list(prefix);
        }

        @Override
        public List<String> listFolders(String prefix) {
            if (broken.get()) {
                throw new IllegalStateException("index 7 out of bounds in the listing code");
            }
            return inner.listFolders(prefix);
        }
    }

    @Test
    void aProgrammingErrorIsA500WithAGenericMessageAndAConflictIsA409() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("metagraph"));
        Files.writeString(data.resolve("graph.db"), "nodes");
        AthenaConfig config = AthenaConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString(),
                "METAGRAPH_VOLUME_PATH", data.toString(), "ATHENA_API_KEYS", "k", "ATHENA_STATE_DIR", tmp.resolve("state").toString()));
        BuggyStore store = new BuggyStore(tmp.resolve("backups"));
        AthenaService service = new AthenaService(config, store, Clock.systemUTC(), PlatformComponents.of(config));
        service.start();
        ApiServer api = new ApiServer(service, ApiKeys.of(config.apiKeys())).start(0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + api.port() + "/athena/api/v1";

            // A configuration component is asked for but none is configured: the state refuses it.
            HttpResponse<String> conflict = http.send(HttpRequest.newBuilder(URI.create(base + "/ondemandbackup"))
                    .header("Authorization", "k").POST(HttpRequest.BodyPublishers.ofString("{\"onlyConfig\": true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
            assertThat(Json.MAPPER.readTree(conflict.body()).get("message").asText()).contains("no configuration component");

            store.broken.set(true);
            HttpResponse<String> bug = http.send(HttpRequest.newBuilder(URI.create(base + "/backuplist")).header("Authorization", "k").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bug.statusCode()).isEqualTo(500);
            assertThat(Json.MAPPER.readTree(bug.body()).get("code").asInt()).isEqualTo(500);
            assertThat(bug.body()).contains("internal error").doesNotContain("index 7");
        } finally {
            api.close();
            service.stop(java.time.Duration.ofSeconds(5));
        }
    }
}
