package dev.athena.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.component.GitserverComponent;
import dev.athena.testing.Git;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.ServiceFixture;

/**
 * Item-level restores through a real service (POST /ondemandrestore with svcs.NAME.include) and the
 * CLI (--include, ls, find, diff, dump): one folder of a volume, one git repository (fsck-clean, its
 * refs those of the backup), one key of the ConfigMap; everything else stays exactly as the
 * cluster has it, nothing is removed, and an item the backup lacks fails before anything is written.
 */
class ItemRestoreTest {
    private static final String API = "/athena/api/v1";

    @TempDir
    Path tmp;

    /** A bare repository in the gitserver volume and a clone that pushes to it. */
    private Path repository(Path server, String name) throws Exception {
        Path bare = Files.createDirectories(server.resolve(name));
        Git.run(bare, "init", "-q", "--bare", "-b", "main");
        Path work = Files.createDirectories(tmp.resolve("work/" + name));
        Git.run(work, "init", "-q", "-b", "main");
        Git.run(work, "remote", "add", "origin", bare.toString());
        push(work, "first");
        return work;
    }

    private static void push(Path work, String what) throws Exception {
        Files.writeString(work.resolve(what + ".txt"), what + "\n");
        Git.run(work, "add", ".");
        Git.run(work, "commit", "-q", "-m", what);
        Git.run(work, "push", "-q", "origin", "main");
    }

    private static void write(Path file, String content) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    record Run(int code, String out) {
    }

    private static Run cli(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder b = AthenaProcess.builder(List.of(), args);
        b.environment().keySet().removeIf(k -> k.startsWith("ATHENA_") || k.startsWith("LOCAL_BACKUP") || k.startsWith("BACKUP_"));
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    @Test
    void oneFolderOneRepositoryAndOneKeyComeBackAndNothingElseChanges() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("service"))) {
            Path meta = athena.metagraph;
            write(meta.resolve("projects/a/graph.db"), "a as backed up");
            write(meta.resolve("projects/a/notes.txt"), "notes of a");
            write(meta.resolve("projects/b/graph.db"), "b as backed up");
            Path app = repository(athena.gitserver.resolve("team"), "app.git");
            Path lib = repository(athena.gitserver.resolve("team"), "lib.git");
            Files.writeString(athena.configMap.resolve("DB_URL"), "postgres://db/as-backed-up");

            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");
            String appHead = Git.run(athena.gitserver.resolve("team/app.git"), "rev-parse", "main");

            // After the backup: everything changes.
            write(meta.resolve("projects/a/graph.db"), "a damaged");
            Files.delete(meta.resolve("projects/a/notes.txt"));
            write(meta.resolve("projects/a/new.txt"), "made after the backup");
            write(meta.resolve("projects/b/graph.db"), "b changed on purpose");
            Files.writeString(meta.resolve("graph.db"), "top changed on purpose");
            push(app, "bad-change");
            push(lib, "wanted-change");
            String libHead = Git.run(athena.gitserver.resolve("team/lib.git"), "rev-parse", "main");
            Files.writeString(athena.configMap.resolve("APP_HOST"), "broken.example.com");
            Files.writeString(athena.configMap.resolve("DB_URL"), "postgres://db/changed-on-purpose");

            // An item the backup lacks fails the pre-restore checks: nothing is written.
            athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "disableUpgrade": true, "svcs": {"metagraph": {"include": ["projects/a", "projects/zzz"]}}}"""
                    .formatted(ts));
            JsonNode refused = athena.awaitFinished(API + "/restorestatus", ts);
            assertThat(refused.get("status").asText()).isEqualTo("Failed");
            assertThat(refused.get("error").asText()).contains("holds no projects/zzz");
            assertThat(Files.readString(meta.resolve("projects/a/graph.db"))).isEqualTo("a damaged");

            var accepted = athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "disableUpgrade": true, "svcs": {"metagraph": {"include": ["projects/a"]},
                     "gitserver": {"include": ["team/app.git"]}, "config": {"include": ["APP_HOST"]}}}""".formatted(ts));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            JsonNode done = athena.awaitFinished(API + "/restorestatus", ts);
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("Success");
            assertThat(done.get("request").get("items").get("metagraph")).extracting(JsonNode::asText).containsExactly("projects/a");
            assertThat(done.get("checks")).anySatisfy(c -> {
                assertThat(c.get("name").asText()).isEqualTo("metagraph: files match the backup (projects/a)");
                assertThat(c.get("passed").asBoolean()).isTrue();
            });
            assertThat(done.get("checks")).anySatisfy(c -> {
                assertThat(c.get("name").asText()).isEqualTo("gitserver: every repository passes git fsck --full");
                assertThat(c.get("passed").asBoolean()).isTrue();
            });

            assertThat(Files.readString(meta.resolve("projects/a/graph.db"))).isEqualTo("a as backed up");
            assertThat(Files.readString(meta.resolve("projects/a/notes.txt"))).isEqualTo("notes of a");
            assertThat(meta.resolve("projects/a/new.txt")).as("an item restore removes nothing").hasContent("made after the backup");
            assertThat(meta.resolve("projects/b/graph.db")).hasContent("b changed on purpose");
            assertThat(meta.resolve("graph.db")).hasContent("top changed on purpose");

            assertThat(Git.run(athena.gitserver.resolve("team/app.git"), "rev-parse", "main")).isEqualTo(appHead);
            assertThat(GitserverComponent.fsck(athena.gitserver.resolve("team/app.git"))).isEmpty();
            assertThat(Git.run(athena.gitserver.resolve("team/lib.git"), "rev-parse", "main")).as("the other repository keeps its push").isEqualTo(libHead);

            assertThat(athena.configMap.resolve("APP_HOST")).hasContent("app.example.com");
            assertThat(athena.configMap.resolve("DB_URL")).hasContent("postgres://db/changed-on-purpose");

            // The same, from the command line, straight from the repository.
            Map<String, String> env = Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("service/backups").toString());
            Run ls = cli(env, "ls", ts, "metagraph/projects");
            assertThat(ls.code()).as(ls.out()).isZero();
            assertThat(ls.out()).contains("metagraph/projects/a/graph.db", "metagraph/projects/b/graph.db").doesNotContain("metagraph/graph.db");
            Run dump = cli(env, "dump", ts, "metagraph/projects/b/graph.db");
            assertThat(dump.out()).contains("b as backed up");
            Run find = cli(env, "find", "graph.db", "-o", "json");
            assertThat(find.code()).isZero();
            assertThat(find.out()).contains("\"projects/a/graph.db\"", "\"projects/b/graph.db\"", "\"graph.db\"");
            Run include = cli(env, "restore", "--timestamp", ts, "--volume", "metagraph=" + meta, "--include", "metagraph:projects/b/graph.db");
            assertThat(include.code()).as("no terminal to ask on").isEqualTo(2);
            assertThat(include.out()).contains("metagraph: projects/b/graph.db is replaced by the backup's copy", "--yes");
            include = cli(env, "restore", "--yes", "--timestamp", ts, "--volume", "metagraph=" + meta, "--include", "metagraph:projects/b/graph.db");
            assertThat(include.code()).as(include.out()).isZero();
            assertThat(meta.resolve("projects/b/graph.db")).hasContent("b as backed up");
            assertThat(meta.resolve("graph.db")).hasContent("top changed on purpose");

            String later = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            athena.awaitFinished(API + "/backupstatus", later);
            Run diff = cli(env, "diff", ts, later);
            assertThat(diff.code()).as(diff.out()).isZero();
            assertThat(diff.out()).contains("+ metagraph/projects/a/new.txt", "M metagraph/graph.db", "M config/DB_URL",
                    "M gitserver/team/lib.git/refs/heads/main").doesNotContain("metagraph/projects/a/graph.db");
        }
    }

    @Test
    void badItemsAreRefusedWithAReasonBeforeAnythingStarts() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("service"))) {
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            athena.awaitFinished(API + "/backupstatus", ts);
            var outside = athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "svcs": {"metagraph": {"include": ["../../etc/passwd"]}}}""".formatted(ts));
            assertThat(outside.status()).isEqualTo(400);
            assertThat(outside.json().get("message").asText()).contains("svcs.metagraph.include", "not a path inside the volume");
            var both = athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "svcs": {"config": {"disable": true, "include": ["APP_HOST"]}}}""".formatted(ts));
            assertThat(both.status()).isEqualTo(400);
            assertThat(both.json().get("message").asText()).contains("both disabled and given items");
            var empty = athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "svcs": {"config": {"include": []}}}""".formatted(ts));
            assertThat(empty.status()).isEqualTo(400);
            var typo = athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "svcs": {"config": {"includes": ["APP_HOST"]}}}""".formatted(ts));
            assertThat(typo.status()).isEqualTo(400);
            assertThat(typo.json().get("message").asText()).contains("includes", "include");
        }
    }
}
