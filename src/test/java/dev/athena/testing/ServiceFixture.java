package dev.athena.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.api.ApiKeys;
import dev.athena.api.ApiServer;
import dev.athena.component.Component;
import dev.athena.config.PlatformComponents;
import dev.athena.config.AthenaConfig;
import dev.athena.repository.Json;
import dev.athena.service.AthenaService;
import dev.athena.service.Leadership;
import dev.athena.storage.ObjectStore;

/** A running Athena: the service and its HTTP API on a free port, over a temp folder. */
public final class ServiceFixture implements AutoCloseable {
    public static final String KEY = "test-api-key-0123456789";
    public final Path root;
    public final Path metagraph;
    public final Path gitserver;
    public final Path configMap;
    public final AthenaService service;
    public final ApiServer api;
    public final BlockingComponent blocking;
    private final HttpClient http = HttpClient.newHttpClient();

    public ServiceFixture(Path root, Clock clock, Map<String, String> extraEnv) throws IOException {
        this(root, clock, extraEnv, null, null);
    }

    /** How a replica's leadership is made: from its settings, its store and the address its API will listen at. */
    public interface LeadershipFactory {
        Leadership create(AthenaConfig config, ObjectStore store, String url);
    }

    /**
     * One of several replicas of serve (the same LOCAL_BACKUP_LOCATION in {@code extraEnv}): its
     * leadership made by {@code leadership}, and {@code fence} run where serve would stop the process.
     */
    public static ServiceFixture replica(Path root, Map<String, String> extraEnv, LeadershipFactory leadership, Runnable fence) throws IOException {
        return new ServiceFixture(root, Clock.systemUTC(), extraEnv, leadership, fence);
    }

    private ServiceFixture(Path root, Clock clock, Map<String, String> extraEnv, LeadershipFactory leadership, Runnable fence) throws IOException {
        this.root = root;
        metagraph = Files.createDirectories(root.resolve("volumes/metagraph"));
        gitserver = Files.createDirectories(root.resolve("volumes/gitserver"));
        configMap = Files.createDirectories(root.resolve("volumes/config"));
        Files.writeString(metagraph.resolve("graph.db"), "nodes and edges");
        Files.writeString(gitserver.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(configMap.resolve("APP_HOST"), "app.example.com");
        Map<String, String> env = new HashMap<>(Map.of(
                "LOCAL_BACKUP_LOCATION", root.resolve("backups").toString(),
                "METAGRAPH_VOLUME_PATH", metagraph.toString(),
                "GITSERVER_VOLUME_PATH", gitserver.toString(),
                "CONFIGMAP_PATH", configMap.toString(),
                "ATHENA_API_KEYS", KEY,
                "ATHENA_STATE_DIR", root.resolve("state").toString()));
        env.putAll(extraEnv);
        AthenaConfig config = AthenaConfig.fromEnv(env);
        List<Component> components = new ArrayList<>(PlatformComponents.of(config));
        // metagraph can be held Running by the test (see BlockingComponent)
        blocking = new BlockingComponent("metagraph", metagraph);
        for (int i = 0; i < components.size(); i++) {
            if (components.get(i).name().equals("metagraph")) {
                components.set(i, blocking);
            }
        }
        ObjectStore store = config.storage().open();
        service = new AthenaService(config, store, clock, components);
        int port = 0;
        if (leadership != null) {
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            service.withLeadership(leadership.create(config, store, "http://localhost:" + port), fence);
        }
        service.start();
        api = new ApiServer(service, ApiKeys.of(config.apiKeys())).start(port);
    }

    public ServiceFixture(Path root) throws IOException {
        this(root, Clock.systemUTC(), Map.of());
    }

    public String url(String path) {
        return "http://localhost:" + api.port() + path;
    }

    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Reply send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** An authorized request. */
    public Reply call(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, "Authorization", KEY, "Content-Type", "application/json");
    }

    /** Waits until the backup (or, with restore=true, the restore) of {@code ts} is no longer Running. */
    public JsonNode awaitFinished(String statusPath, String ts) throws Exception {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Reply r = call("GET", statusPath + "?timestamp=" + ts, null);
                    return r.status() == 200 && !"Running".equals(r.json().get("status").asText()) ? r.json() : null;
                }, java.util.Objects::nonNull);
    }

    /**
     * Starts a backup, waits for its Success, then for the sweep (or copy) after it to give the job
     * slot back, so the next request is not refused; returns its timestamp.
     */
    public String backup() throws Exception {
        String ts = timestampOf(call("POST", "/athena/api/v1/ondemandbackup", "{}"));
        JsonNode done = awaitFinished("/athena/api/v1/backupstatus", ts);
        if (!"Success".equals(done.get("status").asText())) {
            throw new AssertionError("backup " + ts + " did not succeed: " + done);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> service.jobs().running().isEmpty());
        return ts;
    }

    public static String timestampOf(Reply accepted) {
        String message = accepted.json().get("message").asText();
        return message.substring(message.lastIndexOf(' ') + 1);
    }

    @Override
    public void close() {
        blocking.release();
        api.close();
        service.stop(Duration.ofSeconds(30));
    }
}
