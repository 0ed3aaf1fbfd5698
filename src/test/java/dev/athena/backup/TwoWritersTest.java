package dev.athena.backup;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.ReadBackStore;
import dev.athena.storage.RetryingStore;
import dev.athena.storage.S3Store;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.S3Implementations;
import dev.athena.testing.Trees;

/**
 * Two writers on one location and namespace (a second cluster misconfigured with the first one's
 * namespace): they never share a backup's name, and each backup reported Success restores to its
 * own writer's data.
 */
class TwoWritersTest {
    @TempDir
    Path tmp;

    /** Writers racing for one name, each through its own store object, as separate processes would be. */
    private static int raceOnce(List<ObjectStore> stores, String ts) throws Exception {
        CyclicBarrier start = new CyclicBarrier(stores.size());
        ExecutorService pool = Executors.newFixedThreadPool(stores.size());
        try {
            List<Future<Boolean>> won = new ArrayList<>();
            for (ObjectStore s : stores) {
                won.add(pool.submit(() -> {
                    Repository repo = Repository.open(s, "app", null, true);
                    start.await();
                    return BackupNames.claim(repo, ts);
                }));
            }
            int winners = 0;
            for (Future<Boolean> f : won) {
                winners += f.get() ? 1 : 0;
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    private static ObjectStore productStore(dev.athena.storage.S3Settings settings) {
        return RetryingStore.standard(new ReadBackStore(new S3Store(settings)));
    }

    @Test
    void racingWritersNeverShareANameOnADiskOrOnS3() throws Exception {
        Path root = tmp.resolve("backups");
        List<ObjectStore> disks = List.of(new LocalStore(root), new LocalStore(root), new LocalStore(root), new LocalStore(root));
        Repository.open(disks.get(0), "app", null, true);
        var s3 = S3Implementations.get("s3proxy-4.1");
        s3.createBucket("two-writers");
        // Each writer's store is wrapped as the product wraps it: S3Proxy's filesystem backend answers a
        // transient 500 now and then under concurrent uploads, which the product retries.
        List<ObjectStore> buckets = List.of(productStore(s3.settings("two-writers")), productStore(s3.settings("two-writers")),
                productStore(s3.settings("two-writers")));
        Repository.open(buckets.get(0), "app", null, true);
        int won = 0;
        for (int round = 0; round < 40; round++) {
            String ts = Timestamps.of(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(round));
            int disk = raceOnce(disks, ts);
            int bucket = raceOnce(buckets, ts);
            assertThat(disk).as("winners on disk, round %d", round).isLessThanOrEqualTo(1);
            assertThat(bucket).as("winners on S3, round %d", round).isLessThanOrEqualTo(1);
            won += disk + bucket;
            // The name stays taken for everyone who comes later.
            assertThat(BackupNames.claim(Repository.open(disks.get(1), "app", null, false), ts)).isEqualTo(disk == 0);
        }
        assertThat(won).as("rounds with a winner").isGreaterThan(40);
    }

    @Test
    void writersCreatingOneRepositoryAtOnceEndWithOneConfigAndEveryBackupRestores() throws Exception {
        Path root = tmp.resolve("fresh");
        for (int round = 0; round < 6; round++) {
            String ns = "race-" + round;
            CyclicBarrier start = new CyclicBarrier(4);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<String>> made = new ArrayList<>();
            List<Path> sources = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Path source = Trees.randomFiles(tmp.resolve("src-" + round + "-" + w), 2, 20_000, round * 10L + w);
                sources.add(source);
                LocalStore own = new LocalStore(root);
                made.add(pool.submit(() -> {
                    start.await();
                    Repository repo = Repository.open(own, ns, "a-shared-encryption-key", true);
                    return new BackupCommand(repo).volume("metagraph", source).call().timestamp();
                }));
            }
            for (int w = 0; w < 4; w++) {
                String ts = made.get(w).get();
                Path target = tmp.resolve("restored-" + round + "-" + w);
                new dev.athena.restore.RestoreCommand(Repository.open(new LocalStore(root), ns, "a-shared-encryption-key", false), ts)
                        .volume("metagraph", target).call();
                Trees.assertSameTree(sources.get(w), target);
            }
            pool.shutdown();
        }
    }

    @Test
    void aNameGivenTwiceIsRefusedAndTheFirstBackupKept() throws Exception {
        Path a = Trees.randomFiles(tmp.resolve("a"), 3, 1000, 1);
        Path b = Trees.randomFiles(tmp.resolve("b"), 3, 1000, 2);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).volume("metagraph", a).timestamp("2024-01-01t00-00-00").call();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new BackupCommand(repo).volume("metagraph", b).timestamp("2024-01-01t00-00-00").call())
                .hasMessageContaining("backup 2024-01-01t00-00-00 already exists in namespace app");
        String next = new BackupCommand(repo).volume("metagraph", b).clock(java.time.Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"),
                java.time.ZoneOffset.UTC)).call().timestamp();
        assertThat(next).isEqualTo("2024-01-01t00-00-01");
    }

    // ---- two serve processes ------------------------------------------------------------------

    private final HttpClient http = HttpClient.newHttpClient();
    private static final String KEY = "two-writers-key-0123456789";

    private record Serve(Process process, int port, Path volume) {
    }

    private Serve serve(String name) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path volume = Trees.randomFiles(tmp.resolve(name + "-metagraph"), 4, 50_000, name.hashCode());
        ProcessBuilder pb = AthenaProcess.builder(List.of("-Xmx256m"), "serve")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve(name + ".log").toFile()));
        pb.environment().putAll(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString(), "ATHENA_NAMESPACE", "prod",
                "METAGRAPH_VOLUME_PATH", volume.toString(), "ATHENA_API_KEYS", KEY, "ATHENA_PORT", Integer.toString(port),
                "ATHENA_STATE_DIR", tmp.resolve(name + "-state").toString()));
        Process p = pb.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call(port, "GET", "/healthz").statusCode() == 200);
        return new Serve(p, port, volume);
    }

    private HttpResponse<String> call(int port, String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", KEY)
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoServeProcessesAskedAtOnceGetTwoNamesAndEachRestoresItsOwnData() throws Exception {
        Serve first = serve("first");
        Serve second = serve("second");
        try {
            Map<String, Serve> byTimestamp = new java.util.HashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            for (int round = 0; round < 3; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<String>> asked = new ArrayList<>();
                for (Serve s : List.of(first, second)) {
                    asked.add(pool.submit(() -> {
                        together.await();
                        // 409 while the previous backup's retention sweep finishes; asked again then.
                        HttpResponse<String> r = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                                .until(() -> call(s.port(), "POST", "/athena/api/v1/ondemandbackup"), x -> x.statusCode() != 409);
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                        String m = Json.MAPPER.readTree(r.body()).get("message").asText();
                        return m.substring(m.lastIndexOf(' ') + 1);
                    }));
                }
                String a = asked.get(0).get();
                String b = asked.get(1).get();
                assertThat(a).isNotEqualTo(b);
                byTimestamp.put(a, first);
                byTimestamp.put(b, second);
                for (var e : Map.of(a, first, b, second).entrySet()) {
                    JsonNode done = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                        HttpResponse<String> r = call(e.getValue().port(), "GET", "/athena/api/v1/backupstatus?timestamp=" + e.getKey());
                        JsonNode j = Json.MAPPER.readTree(r.body());
                        return r.statusCode() == 200 && !"Running".equals(j.get("status").asText()) ? j : null;
                    }, java.util.Objects::nonNull);
                    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("Success");
                }
            }
            pool.shutdown();
            Set<String> names = new HashSet<>(byTimestamp.keySet());
            assertThat(names).hasSize(6);
            for (var e : byTimestamp.entrySet()) {
                Path target = tmp.resolve("restored-" + e.getKey());
                int code = AthenaProcess.run(tmp.resolve("restore.log"), List.of(), "restore", "--location", tmp.resolve("backups").toString(),
                        "--namespace", "prod", "--timestamp", e.getKey(), "--volume", "metagraph=" + target);
                assertThat(code).as(Files.readString(tmp.resolve("restore.log"))).isZero();
                Trees.assertSameTree(e.getValue().volume(), target);
            }
        } finally {
            first.process().destroyForcibly();
            second.process().destroyForcibly();
        }
    }
}
