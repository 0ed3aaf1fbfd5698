package dev.athena.maintenance;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.Trees;

/**
 * {@code kill -9} of Athena at random points of a backup (serve), a retention sweep (serve), a
 * prune and a restore (CLI), in a loop with a printed seed. After each kill: every backup left
 * verifies, the newest restores exactly, a killed serve backup reads Failed with a reason after a
 * restart, a killed restore rerun ends with the exact tree, and a new backup succeeds. The default
 * suite runs {@code athena.kill.iterations} = 4 (one of each); {@code mvn -Pfaults verify} runs 24.
 * Replay one run with {@code -Dathena.kill.seed=N}.
 */
class KillLoopTest {
    private static final String KEY = "kill-loop-key-0123456789";
    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Path> expected = new LinkedHashMap<>();
    private Path source;
    private Path backups;
    private int port;

    private Process serve(Map<String, String> extra) throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = AthenaProcess.builder(List.of("-Xmx512m"), "serve")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("serve.log").toFile()));
        pb.environment().putAll(Map.of("LOCAL_BACKUP_LOCATION", backups.toString(), "METAGRAPH_VOLUME_PATH", source.toString(),
                "ATHENA_API_KEYS", KEY, "ATHENA_PORT", Integer.toString(port), "ATHENA_STATE_DIR", tmp.resolve("state").toString()));
        pb.environment().putAll(extra);
        return pb.start();
    }

    private HttpResponse<String> call(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", KEY)
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitUp() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call("GET", "/healthz").statusCode() == 200);
    }

    private int cli(String... args) throws Exception {
        return AthenaProcess.run(tmp.resolve("cli.log"), List.of(), args);
    }

    /** Changes the source a little and backs it up with the CLI, remembering a copy of what it held. */
    private String backUp(Random random) throws Exception {
        Trees.randomFiles(source.resolve("change-" + expected.size()), 2, 1 + random.nextInt(3 * 1024 * 1024), random.nextLong());
        int before = Repository.open(new LocalStore(backups), "app", null, true).timestamps().size();
        assertThat(cli("backup", "--location", backups.toString(), "--volume", "metagraph=" + source)).as(log()).isZero();
        List<String> all = Repository.open(new LocalStore(backups), "app", null, false).timestamps();
        assertThat(all).hasSize(before + 1);
        String ts = all.get(all.size() - 1);
        Path copy = tmp.resolve("expected-" + ts);
        copyTree(source, copy);
        expected.put(ts, copy);
        return ts;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).start();
        assertThat(p.waitFor()).isZero();
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("cli.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Kills {@code p} once it has begun its work (it holds a lock in the store, or it already ended),
     * then {@code delay} ms later: the kill point, drawn from the printed seed.
     */
    private void killAfterItStarts(Process p, long delay) throws Exception {
        LocalStore store = new LocalStore(backups);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> !p.isAlive() || !store.list("app/repository/locks/").isEmpty());
        killAt(p, delay);
    }

    private static void killAt(Process p, long delay) throws Exception {
        // Not a wait for anything: the random moment of the fault itself.
        Thread.sleep(delay);
        p.destroyForcibly().waitFor();
    }

    /** What every kill must leave: the remaining backups verify and the newest restores exactly. */
    private void assertIntact(String after) throws Exception {
        Repository repo = Repository.open(new LocalStore(backups), "app", null, false);
        expected.keySet().retainAll(repo.timestamps());
        VerifyCommand.Report report = new VerifyCommand(repo).call();
        assertThat(report.problems()).as("after " + after).isEmpty();
        assertThat(repo.timestamps()).as("after " + after).containsAll(expected.keySet());
        String newest = repo.timestamps().get(repo.timestamps().size() - 1);
        Path target = tmp.resolve("check-" + System.nanoTime());
        new RestoreCommand(repo, newest).volume("metagraph", target).call();
        if (expected.containsKey(newest)) {
            Trees.assertSameTree(expected.get(newest), target);
        }
    }

    @Test
    void killedAtRandomPointsNothingBackedUpIsLost() throws Exception {
        long seed = Long.getLong("athena.kill.seed", System.nanoTime());
        int iterations = Integer.getInteger("athena.kill.iterations", 4);
        System.out.println("KillLoopTest seed: " + seed + ", iterations: " + iterations + " (replay with -Dathena.kill.seed=" + seed + ")");
        Random random = new Random(seed);
        source = Trees.randomFiles(tmp.resolve("source"), 6, 4 * 1024 * 1024, seed);
        backups = tmp.resolve("backups");
        backUp(random);
        backUp(random);
        List<String> kinds = List.of("serve backup", "retention sweep", "prune", "restore");
        for (int i = 0; i < iterations; i++) {
            String kind = kinds.get(i < kinds.size() ? i : random.nextInt(kinds.size()));
            long delay = random.nextInt(1500);
            String what = "iteration " + i + ": " + kind + " killed after " + delay + " ms (seed " + seed + ")";
            System.out.println("KillLoopTest " + what);
            switch (kind) {
                case "serve backup" -> {
                    Trees.randomFiles(source.resolve("big-" + i), 4, 4 * 1024 * 1024, random.nextLong());
                    Path copy = tmp.resolve("expected-serve-" + i);
                    copyTree(source, copy);
                    Process athena = serve(Map.of());
                    awaitUp();
                    HttpResponse<String> r = call("POST", "/athena/api/v1/ondemandbackup");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                    String m = Json.MAPPER.readTree(r.body()).get("message").asText();
                    String ts = m.substring(m.lastIndexOf(' ') + 1);
                    killAt(athena, delay);
                    Process again = serve(Map.of());
                    try {
                        awaitUp();
                        JsonNode record = Json.MAPPER.readTree(call("GET", "/athena/api/v1/backupstatus?timestamp=" + ts).body());
                        if ("Success".equals(record.get("status").asText())) {
                            expected.put(ts, copy);
                        } else {
                            assertThat(record.get("status").asText()).as(what).isEqualTo("Failed");
                            assertThat(record.get("error").asText()).as(what).contains("interrupted");
                        }
                    } finally {
                        again.destroyForcibly().waitFor();
                    }
                }
                case "retention sweep" -> {
                    // Retention 0 keeps only the newest successful backup: the sweep at start forgets the rest and prunes.
                    Process athena = serve(Map.of("BACKUP_RETENTION_PERIOD", "0"));
                    killAfterItStarts(athena, delay);
                }
                case "prune" -> {
                    Repository repo = Repository.open(new LocalStore(backups), "app", null, false);
                    if (repo.timestamps().size() > 1) {
                        assertThat(cli("forget", "--yes", "--location", backups.toString(), "--timestamp", repo.timestamps().get(0))).isZero();
                    }
                    Process prune = AthenaProcess.builder(List.of(), "prune", "--yes", "--location", backups.toString())
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("cli.log").toFile())).start();
                    killAfterItStarts(prune, delay);
                }
                case "restore" -> {
                    Repository repo = Repository.open(new LocalStore(backups), "app", null, false);
                    String ts = repo.timestamps().get(repo.timestamps().size() - 1);
                    Path target = tmp.resolve("restore-" + i);
                    Trees.randomFiles(target, 3, 100_000, random.nextLong());
                    Process restore = AthenaProcess.builder(List.of(), "restore", "--yes", "--location", backups.toString(), "--timestamp", ts,
                            "--volume", "metagraph=" + target).redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("cli.log").toFile())).start();
                    killAfterItStarts(restore, delay);
                    assertThat(cli("restore", "--yes", "--location", backups.toString(), "--timestamp", ts, "--volume", "metagraph=" + target))
                            .as(what + "\n" + log()).isZero();
                    if (expected.containsKey(ts)) {
                        Trees.assertSameTree(expected.get(ts), target);
                    }
                }
                default -> throw new IllegalStateException(kind);
            }
            assertIntact(what);
            backUp(random);
        }
        assertIntact("the last iteration");
        assertThat(new ArrayList<>(expected.keySet())).isNotEmpty();
    }
}
