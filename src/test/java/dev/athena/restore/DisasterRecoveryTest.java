package dev.athena.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.ExternalCommand;
import dev.athena.testing.HttpStubs;
import dev.athena.testing.PostgresCluster;
import dev.athena.testing.ServiceFixture;
import dev.athena.testing.Trees;

/**
 * A whole platform (PostgreSQL, metagraph, gitserver, config) of namespace "prod" at version 3.4.1
 * is backed up, then restored by another Athena into namespace "dr": another PostgreSQL cluster,
 * other volumes, a platform at 3.3.0, through the backup location both share.
 */
class DisasterRecoveryTest {
    private static final String API = "/athena/api/v1";
    static PostgresCluster sourceDb;
    static PostgresCluster destinationDb;
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    static String backup;
    static ServiceFixture source;

    @BeforeAll
    static void backUpTheSourcePlatform() throws Exception {
        sourceDb = new PostgresCluster("dr-source");
        destinationDb = new PostgresCluster("dr-destination");
        sourceDb.sql("postgres", "CREATE DATABASE platform");
        sourceDb.sql("platform", "CREATE TABLE projects (id int PRIMARY KEY, name text)",
                "INSERT INTO projects SELECT g, 'project ' || g FROM generate_series(1, 500) g");
        destinationDb.sql("postgres", "CREATE DATABASE platform");
        destinationDb.sql("platform", "CREATE TABLE projects (id int PRIMARY KEY, name text)", "INSERT INTO projects VALUES (1, 'stale')");
        source = new ServiceFixture(shared.resolve("prod"), Clock.systemUTC(), env(sourceDb, "prod", "3.4.1", shared.resolve("backups")));
        Trees.buildEveryKind(source.metagraph.resolve("store"));
        for (String repo : List.of("team/a.git", "team/b.git")) {
            Path bare = Files.createDirectories(source.gitserver.resolve(repo));
            ExternalCommand.of("git", "init", "-q", "--bare", bare.toString()).check();
            Path work = Files.createDirectories(shared.resolve("work/" + repo));
            ExternalCommand.of("git", "clone", "-q", bare.toString(), work.toString()).check();
            Files.writeString(work.resolve("README"), "hello " + repo);
            new ExternalCommand(List.of("git", "-C", work.toString(), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "one"),
                    Map.of()).check();
            ExternalCommand.of("git", "-C", work.toString(), "push", "-q", "origin", "HEAD").check();
        }
        Files.writeString(source.configMap.resolve("FEATURE_FLAGS"), "x,y");
        backup = ServiceFixture.timestampOf(source.call("POST", API + "/ondemandbackup", "{}"));
        assertThat(source.awaitFinished(API + "/backupstatus", backup).get("status").asText()).isEqualTo("Success");
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
        sourceDb.close();
        destinationDb.close();
    }

    static Map<String, String> env(PostgresCluster db, String namespace, String version, Path backups) {
        Map<String, String> env = new HashMap<>(Map.of("ATHENA_NAMESPACE", namespace, "LOCAL_BACKUP_LOCATION", backups.toString(),
                "POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(db.port), "POSTGRES_PASSWORD", PostgresCluster.PASSWORD,
                "PLATFORM_VERSION", version));
        env.put("ATHENA_SCRATCH_DIR", backups.resolveSibling("scratch-" + namespace).toString());
        // Every table as a stream of its own, so the whole pipeline runs the parallel dump and load (the test's tables are small).
        env.put("POSTGRES_STREAM_TABLE_MB", "0");
        return env;
    }

    private ServiceFixture destination(Map<String, String> extra) throws Exception {
        Map<String, String> env = env(destinationDb, "dr", "3.3.0", shared.resolve("backups"));
        env.put("UPGRADE_COMMAND", "echo {version} >> " + tmp.resolve("upgrades.log"));
        env.put("CONFIG_PRESERVE_KEYS", "APP_HOST");
        env.putAll(extra);
        ServiceFixture dr = new ServiceFixture(tmp.resolve("dr"), Clock.systemUTC(), env);
        Files.writeString(dr.configMap.resolve("APP_HOST"), "dr.example.com");
        Files.writeString(dr.metagraph.resolve("graph.db"), "the destination's own graph");
        return dr;
    }

    private JsonNode restore(ServiceFixture dr, String body) throws Exception {
        assertThat(dr.call("POST", API + "/ondemandrestore", body).status()).isEqualTo(202);
        return dr.awaitFinished(API + "/restorestatus", backup);
    }

    @Test
    void theWholePlatformIsRestoredIntoAnotherClusterAtTheBackupsVersionWithAReport() throws Exception {
        try (HttpStubs.Health health = new HttpStubs.Health(); HttpStubs.Jenkins jenkins = new HttpStubs.Jenkins();
             ServiceFixture dr = destination(Map.of("HEALTH_CHECK_URLS", health.url(), "JENKINS_URL", jenkins.url(), "JENKINS_JOB", "platform-tests",
                     "JENKINS_USER", "athena", "JENKINS_TOKEN", "jenkins-token-123",
                     "POST_RESTORE_COMMAND", "test -d \"$ATHENA_NAMESPACE\" || echo suite ran for $ATHENA_BACKUP"))) {
            JsonNode r = restore(dr, "{\"timestamp\": \"" + backup + "\", \"sourceNamespace\": \"prod\", \"enableReportGeneration\": true,"
                    + " \"enableJenkinsTestRun\": true}");

            assertThat(r.get("status").asText()).as(r.toPrettyString()).isEqualTo("Success");
            assertThat(r.get("phases")).extracting(p -> p.get("name").asText())
                    .containsExactly("validate", "pre-restore checks", "upgrade", "restore", "post-restore checks", "report");
            assertThat(r.get("phases")).allMatch(p -> p.get("status").asText().equals("Success"));
            assertThat(Files.readAllLines(tmp.resolve("upgrades.log"))).as("the upgrade ran once, to the backup's version").containsExactly("3.4.1");
            assertThat(r.get("versionBefore").asText()).isEqualTo("3.3.0");
            assertThat(r.get("versionAfter").asText()).isEqualTo("3.4.1");
            assertThat(r.get("namespace").asText()).isEqualTo("prod");
            assertThat(r.get("destinationNamespace").asText()).isEqualTo("dr");

            assertThat(destinationDb.dump("platform")).isEqualTo(sourceDb.dump("platform"));
            Trees.assertSameTree(source.metagraph, dr.metagraph);
            Trees.assertSameTree(source.gitserver, dr.gitserver);
            assertThat(Files.readString(dr.configMap.resolve("FEATURE_FLAGS"))).isEqualTo("x,y");
            assertThat(Files.readString(dr.configMap.resolve("APP_HOST"))).as("a preserved key").isEqualTo("dr.example.com");
            assertThat(r.get("checks")).as("evidence of what the pre-restore check read")
                    .anyMatch(c -> c.get("name").asText().startsWith("metagraph: data intact")
                            && c.get("detail").asText().matches("(the 1 pack|all [1-9][0-9]* packs) it needs \\([0-9.]+ [KMG]?i?B, [1-9][0-9]* bytes\\) read back,"
                                    + " (its|each one's) SHA-256 matching its name"));
            assertThat(r.get("checks")).allMatch(c -> c.get("passed").asBoolean())
                    .anyMatch(c -> c.get("name").asText().contains("git fsck"))
                    .anyMatch(c -> c.get("name").asText().contains("row counts of database platform"))
                    .anyMatch(c -> c.get("name").asText().startsWith("metagraph: files match"))
                    .anyMatch(c -> c.get("name").asText().startsWith("config: keys match"))
                    .anyMatch(c -> c.get("name").asText().equals("Jenkins test run"))
                    .anyMatch(c -> c.get("name").asText().startsWith("POST_RESTORE_COMMAND"));
            assertThat(jenkins.triggered).hasSize(1);
            assertThat(jenkins.authorizations).allMatch(a -> a.startsWith("Basic "));

            String restoreId = r.get("restoreId").asText();
            assertThat(r.get("report").asText()).contains("restorereport").contains(restoreId);
            assertThat(Files.exists(shared.resolve("backups/dr/restores/" + backup + "/" + restoreId + "-report.html"))).isTrue();
            JsonNode report = dr.call("GET", API + "/restorereport?timestamp=" + backup + "&format=json", null).json();
            for (String section : List.of("sourceNamespace", "destinationNamespace", "backupTimestamp", "versions", "phases", "rtoSeconds",
                    "rpoSeconds", "components", "checks", "warnings")) {
                assertThat(report.has(section)).as(section).isTrue();
            }
            assertThat(report.get("versions").get("destinationAfter").asText()).isEqualTo("3.4.1");
            assertThat(report.get("phases")).allMatch(p -> p.has("durationMs"));
            assertThat(report.get("components").get("postgres").get("stats").has("durationMs")).isTrue();
            assertThat(report.get("rpoSeconds").asLong()).isNotNegative();
            assertThat(report.get("backupWindows").fieldNames()).toIterable().as("when each part of the platform was captured")
                    .containsExactlyInAnyOrder("postgres", "metagraph", "gitserver", "config");
            ServiceFixture.Reply html = dr.call("GET", API + "/restorereport?timestamp=" + backup, null);
            assertThat(html.body()).contains("<svg", "RTO", "RPO", "prod", "dr", "3.4.1", "gitserver", "Warnings", "Backup captured",
                    "all started within");
            assertThat(html.body()).doesNotContain("jenkins-token-123").doesNotContain(PostgresCluster.PASSWORD);
        }
    }

    @Test
    void skippedComponentsAndADisabledUpgradeLeaveTheDestinationAsItWas() throws Exception {
        try (ServiceFixture dr = destination(Map.of())) {
            JsonNode r = restore(dr, "{\"timestamp\": \"" + backup + "\", \"sourceNamespace\": \"prod\", \"disableUpgrade\": true,"
                    + " \"svcs\": {\"metagraph\": {\"disable\": true}, \"postgres\": {\"disable\": true}}}");
            assertThat(r.get("status").asText()).as(r.toPrettyString()).isEqualTo("Success");
            assertThat(Files.readString(dr.metagraph.resolve("graph.db"))).isEqualTo("the destination's own graph");
            assertThat(destinationDb.dump("platform")).isNotEqualTo(sourceDb.dump("platform"));
            assertThat(Files.exists(tmp.resolve("upgrades.log"))).isFalse();
            assertThat(r.get("phases").get(2).get("detail").asText()).contains("disableUpgrade");
            Trees.assertSameTree(source.gitserver, dr.gitserver);
            assertThat(r.get("components").get("metagraph").get("error").asText()).contains("skipped");
        }
    }

    @Test
    void aFailingPreRestoreCheckLeavesEveryComponentUntouched() throws Exception {
        // PostgreSQL of the destination is unreachable.
        try (ServiceFixture dr = destination(Map.of("POSTGRES_PORT", "1"))) {
            Path gitBefore = dr.gitserver;
            Map<String, String> before = Trees.describe(gitBefore);
            JsonNode r = restore(dr, "{\"timestamp\": \"" + backup + "\", \"sourceNamespace\": \"prod\"}");
            assertThat(r.get("status").asText()).isEqualTo("Failed");
            assertThat(r.get("error").asText()).contains("pre-restore checks failed").contains("postgres").contains("nothing was written");
            assertThat(Files.readString(dr.metagraph.resolve("graph.db"))).isEqualTo("the destination's own graph");
            assertThat(Files.readString(dr.configMap.resolve("APP_HOST"))).isEqualTo("dr.example.com");
            assertThat(Files.exists(dr.configMap.resolve("FEATURE_FLAGS"))).isFalse();
            assertThat(Trees.describe(gitBefore)).isEqualTo(before);
            assertThat(Files.exists(tmp.resolve("upgrades.log"))).isFalse();
            assertThat(r.get("phases")).extracting(p -> p.get("name").asText()).containsExactly("validate", "pre-restore checks", "report");
        }
    }

    @Test
    void aDryRunChecksAndReportsWhatARestoreWouldDoWithoutDoingIt() throws Exception {
        try (ServiceFixture dr = destination(Map.of())) {
            JsonNode r = restore(dr, "{\"timestamp\": \"" + backup + "\", \"sourceNamespace\": \"prod\", \"dryRun\": true}");
            assertThat(r.get("status").asText()).as(r.toPrettyString()).isEqualTo("Success");
            assertThat(r.get("plan")).extracting(JsonNode::asText)
                    .anyMatch(p -> p.contains("upgrade the platform 3.3.0 -> 3.4.1"))
                    .anyMatch(p -> p.startsWith("restore postgres"));
            assertThat(Files.readString(dr.metagraph.resolve("graph.db"))).isEqualTo("the destination's own graph");
            assertThat(Files.exists(tmp.resolve("upgrades.log"))).isFalse();
        }
    }

    @Test
    void aDowngradeIsRefusedUnlessAsked() throws Exception {
        try (ServiceFixture dr = destination(Map.of("PLATFORM_VERSION", "3.10.0"))) {
            JsonNode r = restore(dr, "{\"timestamp\": \"" + backup + "\", \"sourceNamespace\": \"prod\"}");
            assertThat(r.get("status").asText()).isEqualTo("Failed");
            assertThat(r.get("error").asText()).contains("refusing to downgrade the destination from 3.10.0 to 3.4.1");
            assertThat(Files.readString(dr.metagraph.resolve("graph.db"))).isEqualTo("the destination's own graph");
        }
    }
}
