package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.athena.testing.AthenaProcess;
import dev.athena.testing.ServiceFixture;

/**
 * The CLI's commands that talk to a running service, each run as its own process, as an operator
 * runs them: against a real service on a real HTTP port, with `-o json` parsed here and the
 * tables and exit codes read as a person or a script would.
 */
class ServiceCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
            }
        }
    }

    private static Run athena(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder b = AthenaProcess.builder(List.of(), args).redirectErrorStream(false);
        b.environment().keySet().removeIf(k -> k.startsWith("ATHENA_") || k.startsWith("LOCAL_BACKUP") || k.startsWith("BACKUP_"));
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        int code = p.waitFor();
        return new Run(code, out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The lines a command wrote on stderr that are not the log's. */
    private static List<String> errorLines(Run r) {
        List<String> out = new ArrayList<>();
        r.err().lines().filter(l -> !l.matches("\\d{4}-\\d{2}-\\d{2}T.* (INFO|WARN) .*")).forEach(out::add);
        return out;
    }

    @Test
    void backupsAndRestoresAreStartedFollowedListedAndDescribedThroughTheService() throws Exception {
        try (ServiceFixture service = new ServiceFixture(tmp.resolve("service"))) {
            Map<String, String> env = Map.of("ATHENA_URL", service.url(""), "ATHENA_API_KEY", ServiceFixture.KEY);

            Run none = athena(env, "backup", "get", "-o", "json");
            assertThat(none.code()).as(none.err()).isZero();
            assertThat(none.json().isArray()).isTrue();
            assertThat(none.json()).isEmpty();
            assertThat(athena(env, "backup", "get").out()).contains("no backups yet");

            Run created = athena(env, "backup", "create", "--wait", "-o", "json");
            assertThat(created.code()).as(created.err()).isZero();
            String ts = created.json().get("timestamp").asText();
            assertThat(created.json().get("status").asText()).isEqualTo("Success");
            assertThat(created.json().get("components")).extracting(JsonNode::asText).contains("metagraph", "gitserver", "config");

            Run started = athena(env, "backup", "create", "--only-config", "-o", "json");
            assertThat(started.code()).as(started.err()).isZero();
            String configTs = started.json().get("timestamp").asText();
            service.awaitFinished("/athena/api/v1/backupstatus", configTs);

            Run table = athena(env, "backup", "get");
            assertThat(table.code()).isZero();
            List<String> rows = table.out().lines().toList();
            assertThat(rows.get(0)).startsWith("TIMESTAMP").contains("STATUS", "COMPONENTS", "SIZE");
            assertThat(rows.get(1)).as("newest first").startsWith(configTs).contains("Success");
            assertThat(rows.get(2)).startsWith(ts).contains("Success", "metagraph");
            Run list = athena(env, "backup", "get", "-o", "json");
            assertThat(list.json()).extracting(n -> n.get("timestamp").asText()).containsExactly(configTs, ts);
            assertThat(athena(env, "backup", "get", ts, "-o", "json").json().get("timestamp").asText()).isEqualTo(ts);
            Run described = athena(env, "backup", "describe", ts);
            assertThat(described.out()).contains("Backup:", ts, "Status:           Success", "Components:", "metagraph", "Captured:");

            Run dry = athena(env, "restore", "create", ts, "--dry-run", "--wait", "-o", "json");
            assertThat(dry.code()).as(dry.err()).isZero();
            assertThat(dry.json().get("status").asText()).isEqualTo("Success");
            assertThat(dry.json().get("request").get("dryRun").asBoolean()).isTrue();
            assertThat(dry.json().get("plan")).isNotEmpty();
            assertThat(dry.json().get("request").get("requestedBy").asText()).as("who asked, never the key")
                    .startsWith(System.getProperty("user.name") + "@").contains("(athena-cli)", "API key #1, from ").doesNotContain(ServiceFixture.KEY);

            Files.writeString(service.metagraph.resolve("graph.db"), "changed after the backup");
            Run restored = athena(env, "restore", "create", ts, "--no-upgrade", "--skip", "gitserver", "--wait");
            assertThat(restored.code()).as(restored.out() + restored.err()).isZero();
            assertThat(restored.out()).contains("Status:           Success", "Phases:", "restore: Success", "Checks:", "gitserver: Success");
            assertThat(Files.readString(service.metagraph.resolve("graph.db"))).isEqualTo("nodes and edges");

            Run restores = athena(env, "restore", "get", "-o", "json");
            assertThat(restores.json()).hasSize(2);
            String id = restores.json().get(0).get("restoreId").asText();
            assertThat(restores.json().get(1).get("request").get("dryRun").asBoolean()).as("newest first").isTrue();
            assertThat(restores.json().get(0).get("components").get("gitserver").get("error").asText()).startsWith("skipped");
            assertThat(athena(env, "restore", "describe", id, "-o", "json").json().get("restoreId").asText()).isEqualTo(id);
            Run restoreTable = athena(env, "restore", "get");
            assertThat(restoreTable.out().lines().toList().get(0)).startsWith("RESTORE ID").contains("BACKUP", "STATUS");
            assertThat(restoreTable.out()).contains(id, "Success (dry run)");

            Run report = athena(env, "report", ts, "--format", "json");
            assertThat(report.code()).as(report.err()).isZero();
            assertThat(report.json().isObject()).isTrue();
            Path html = tmp.resolve("report.html");
            Run saved = athena(env, "report", ts, "--restore-id", id, "--output", html.toString());
            assertThat(saved.code()).as(saved.err()).isZero();
            assertThat(Files.readString(html)).contains("<html").contains(id);

            service.blocking.failRestores("the volume is read-only");
            Run failed = athena(env, "restore", "create", ts, "--no-upgrade", "--wait");
            assertThat(failed.code()).isEqualTo(1);
            assertThat(errorLines(failed)).singleElement().asString().startsWith("athena: restore ").contains("Failed", "the volume is read-only");
        }
    }

    @Test
    void errorsAreOneLineThatSaysWhatToDo() throws Exception {
        try (ServiceFixture service = new ServiceFixture(tmp.resolve("service"))) {
            Run wrongKey = athena(Map.of("ATHENA_URL", service.url(""), "ATHENA_API_KEY", "not-the-key-0123456789"), "backup", "get");
            assertThat(wrongKey.code()).isEqualTo(1);
            assertThat(errorLines(wrongKey)).singleElement().asString().contains("refused the API key", "ATHENA_API_KEY");

            Map<String, String> env = Map.of("ATHENA_URL", service.url(""), "ATHENA_API_KEY", ServiceFixture.KEY);
            Run unknown = athena(env, "backup", "describe", "2020-01-01t00-00-00");
            assertThat(unknown.code()).isEqualTo(1);
            assertThat(errorLines(unknown)).singleElement().asString().contains("no backup 2020-01-01t00-00-00");

            Run badSkip = athena(env, "restore", "create", "2020-01-01t00-00-00", "--skip", "gitsever");
            assertThat(badSkip.code()).isEqualTo(1);
            assertThat(errorLines(badSkip)).singleElement().asString().contains("gitsever", "gitserver");

            Run noCopy = athena(env, "restore", "create", "2020-01-01t00-00-00", "--from-copy");
            assertThat(noCopy.code()).isEqualTo(1);
            assertThat(errorLines(noCopy)).singleElement().asString().contains("no second location is configured", "set COPY_TO");

            Run noKey = athena(Map.of("ATHENA_URL", service.url("")), "backup", "get");
            assertThat(noKey.code()).isEqualTo(1);
            assertThat(errorLines(noKey)).singleElement().asString().contains("no API key", "ATHENA_API_KEY");
        }
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run unreachable = athena(Map.of("ATHENA_URL", "http://127.0.0.1:" + closed, "ATHENA_API_KEY", ServiceFixture.KEY), "backup", "get");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(errorLines(unreachable)).singleElement().asString().contains("cannot reach Athena at http://127.0.0.1:" + closed, "--url");

        Run badUrl = athena(Map.of("ATHENA_URL", "athena:8080", "ATHENA_API_KEY", ServiceFixture.KEY), "backup", "get");
        assertThat(badUrl.code()).isEqualTo(1);
        assertThat(errorLines(badUrl)).singleElement().asString().contains("not valid", "http://");
    }

    @Test
    void theDirectCommandsPrintJsonAndAnEmptyNamespaceListsNothing() throws Exception {
        Map<String, String> env = Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString());
        Run empty = athena(env, "list", "-o", "json");
        assertThat(empty.code()).as(empty.err()).isZero();
        assertThat(empty.json()).isEmpty();
        assertThat(athena(env, "list").out()).contains("no backups of namespace 'app'");

        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "alpha");
        Run backup = athena(env, "backup", "--volume", "data=" + data, "--timestamp", "2026-12-07t10-00-00", "-o", "json");
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.json().get("timestamp").asText()).isEqualTo("2026-12-07t10-00-00");
        assertThat(backup.json().get("components").get("data").get("files").asLong()).isEqualTo(1);
        Run list = athena(env, "list", "-o", "json");
        assertThat(list.json()).extracting(n -> n.get("timestamp").asText()).containsExactly("2026-12-07t10-00-00");
        assertThat(athena(env, "list").out().lines().toList()).hasSize(2).first().asString().startsWith("TIMESTAMP");
        Run verify = athena(env, "verify", "-o", "json");
        assertThat(verify.code()).isZero();
        assertThat(verify.json().get("intact").asBoolean()).isTrue();
        assertThat(verify.json().get("backups")).extracting(JsonNode::asText).containsExactly("2026-12-07t10-00-00");

        Run completion = athena(env, "completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("backup").contains("restore");

        Run noTimestamp = athena(env, "restore", "--volume", "data=" + tmp.resolve("out"));
        assertThat(noTimestamp.code()).isEqualTo(2);
        assertThat(errorLines(noTimestamp)).singleElement().asString().contains("--timestamp");
    }
}
