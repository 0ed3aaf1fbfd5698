package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.testing.Git;
import dev.athena.testing.MutableClock;
import dev.athena.testing.PostgresCluster;
import dev.athena.testing.ServiceFixture;
import dev.athena.testing.Trees;

/**
 * Restore drills (issue 13, item 1) on real parts: a PostgreSQL 15 cluster, folders, a git
 * repository and the ConfigMap folder. A drill on the schedule (an injected clock) restores the
 * newest backup into scratch targets, passes its checks, reports an RTO, leaves nothing behind,
 * and the platform's database, volumes and config are byte-for-byte as they were.
 */
class RestoreDrillTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    private static List<String> databases(PostgresCluster pg) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect("postgres"); ResultSet r = c.createStatement().executeQuery("SELECT datname FROM pg_database ORDER BY 1")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Path copy(Path from, Path to) throws Exception {
        new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start().waitFor();
        return to;
    }

    @Test
    void aScheduledDrillRestoresIntoScratchTargetsPassesItsChecksAndTouchesNothingOfThePlatform() throws Exception {
        try (PostgresCluster pg = new PostgresCluster("drill")) {
            pg.sql("postgres", "CREATE DATABASE platform");
            pg.sql("platform", "CREATE TABLE items (id int PRIMARY KEY, name text)", "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 500) g");
            Path scratch = tmp.resolve("drills");
            MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
            Map<String, String> env = Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(pg.port),
                    "POSTGRES_PASSWORD", PostgresCluster.PASSWORD, "DRILL_FREQUENCY", "0 0 5 * * *", "DRILL_SCRATCH_DIR", scratch.toString(),
                    // The command is told where the drill put the data: it fails the drill if it cannot find it there.
                    "DRILL_COMMAND", "test -d \"$ATHENA_DRILL_DIR/gitserver/team/app.git\" && test \"$ATHENA_DRILL_POSTGRES_PORT\" = " + pg.port
                            + " && case \"$ATHENA_DRILL_DATABASE_PREFIX\" in athena_drill_*) true;; *) false;; esac && test \"$ATHENA_NAMESPACE\" = app");
            try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), clock, env)) {
                Path repo = athena.gitserver.resolve("team/app.git");
                Files.createDirectories(repo.getParent());
                Git.run(athena.gitserver, "init", "-q", "--bare", repo.toString());
                Path work = tmp.resolve("work");
                Git.run(tmp, "clone", "-q", repo.toString(), work.toString());
                Files.writeString(work.resolve("README"), "hello");
                Git.run(work, "add", "README");
                Git.run(work, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "first");
                Git.run(work, "push", "-q", "origin", "HEAD:main");
                String ts = athena.backup();

                String dumpBefore = pg.dump("platform");
                List<String> dbsBefore = databases(pg);
                Path metagraphBefore = copy(athena.metagraph, tmp.resolve("metagraph-before"));
                Path gitBefore = copy(athena.gitserver, tmp.resolve("gitserver-before"));
                Path configBefore = copy(athena.configMap, tmp.resolve("config-before"));

                clock.set(Instant.parse("2026-12-02T05:00:01Z"));
                JsonNode drill = Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> athena.call("GET", API + "/drillstatus", null),
                                r -> r.status() == 200 && !r.json().get("status").asText().equals("Running")).json();
                assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("Success");
                assertThat(drill.get("timestamp").asText()).isEqualTo(ts);
                assertThat(drill.has("destinationNamespace")).as("a drill restores into no namespace").isFalse();
                assertThat(drill.get("targets").get("metagraph").asText()).startsWith("folder " + scratch.resolve("app"));
                assertThat(drill.get("targets").get("postgres").asText()).startsWith("databases athena_drill_").contains(":" + pg.port);
                assertThat(drill.get("checks").toString()).contains("DRILL_COMMAND");
                assertThat(drill.get("rtoSeconds").asLong()).isGreaterThanOrEqualTo(0);
                List<String> checks = new ArrayList<>();
                drill.get("checks").forEach(c -> {
                    assertThat(c.get("passed").asBoolean()).as(c.toString()).isTrue();
                    checks.add(c.get("name").asText());
                });
                assertThat(checks).anyMatch(n -> n.contains("row counts of database athena_drill_"))
                        .anyMatch(n -> n.contains("git fsck")).anyMatch(n -> n.startsWith("metagraph: files match"));
                drill.get("components").forEach(c -> assertThat(c.get("status").asText()).isEqualTo("Success"));
                // Each component's time is measured on the service's clock, which this test holds still: present, if 0 here.
                drill.get("components").forEach(c -> assertThat(c.get("stats").has("durationMs")).as("each component's time").isTrue());

                // Nothing left behind, and the platform as it was.
                try (Stream<Path> left = Files.list(scratch.resolve("app"))) {
                    assertThat(left).isEmpty();
                }
                assertThat(databases(pg)).isEqualTo(dbsBefore);
                assertThat(pg.dump("platform")).isEqualTo(dumpBefore);
                Trees.assertSameTree(metagraphBefore, athena.metagraph);
                Trees.assertSameTree(gitBefore, athena.gitserver);
                Trees.assertSameTree(configBefore, athena.configMap);

                assertThat(athena.call("GET", API + "/drilllist", null).json()).hasSize(1);
                String report = athena.call("GET", API + "/drillreport", null).body();
                assertThat(report).contains("Disaster recovery report", drill.get("restoreId").asText(), "<!--athena-signature Ed25519");
                assertThat(athena.call("GET", API + "/retentionplan", null).json().get("backups").get(0).get("reasons").toString())
                        .as("retention keeps the newest backup a drill proved").contains("the newest backup proven restorable");
                String metrics = athena.send("GET", "/metrics", null).body();
                assertThat(metrics).contains("athena_drills_total{status=\"Success\"} 1.0");
            }
        }
    }

    @Test
    void drillsLoadTheirDatabasesIntoAnotherServerWhenOneIsNamed() throws Exception {
        try (PostgresCluster platformDb = new PostgresCluster("drill-platform"); PostgresCluster drillDb = new PostgresCluster("drill-server")) {
            platformDb.sql("postgres", "CREATE DATABASE platform");
            platformDb.sql("platform", "CREATE TABLE t (id int)", "INSERT INTO t SELECT generate_series(1, 100)");
            Map<String, String> env = Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(platformDb.port),
                    "POSTGRES_PASSWORD", PostgresCluster.PASSWORD, "DRILL_POSTGRES_HOST", "127.0.0.1",
                    "DRILL_POSTGRES_PORT", Integer.toString(drillDb.port), "DRILL_SCRATCH_DIR", tmp.resolve("drills").toString());
            try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), java.time.Clock.systemUTC(), env)) {
                athena.backup();
                List<String> platformBefore = databases(platformDb);
                List<String> drillBefore = databases(drillDb);
                assertThat(athena.call("POST", API + "/ondemanddrill", "{}").status()).isEqualTo(202);
                JsonNode drill = Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> athena.call("GET", API + "/drillstatus", null).json(),
                        d -> !d.get("status").asText().equals("Running"));
                assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("Success");
                assertThat(drill.get("checks").toString()).contains("row counts of database athena_drill_");
                assertThat(databases(platformDb)).isEqualTo(platformBefore);
                assertThat(databases(drillDb)).as("dropped at the end").isEqualTo(drillBefore);

                // The CLI starts one, follows it, and lists both.
                java.nio.file.Path out = tmp.resolve("drill-cli.txt");
                ProcessBuilder cli = dev.athena.testing.AthenaProcess.builder(List.of(), "drill", "create", "--wait", "-o", "json");
                cli.environment().putAll(Map.of("ATHENA_URL", athena.url(""), "ATHENA_API_KEY", ServiceFixture.KEY));
                assertThat(cli.redirectOutput(out.toFile()).start().waitFor()).as(() -> read(out)).isZero();
                String printed = read(out);
                JsonNode followed = dev.athena.repository.Json.MAPPER.readTree(printed.substring(printed.indexOf('{')));
                assertThat(followed.get("status").asText()).isEqualTo("Success");
                ProcessBuilder list = dev.athena.testing.AthenaProcess.builder(List.of(), "drill", "get");
                list.environment().putAll(Map.of("ATHENA_URL", athena.url(""), "ATHENA_API_KEY", ServiceFixture.KEY));
                java.nio.file.Path table = tmp.resolve("drill-get.txt");
                assertThat(list.redirectOutput(table.toFile()).start().waitFor()).isZero();
                assertThat(read(table)).startsWith("DRILL ID").contains(followed.get("restoreId").asText(), drill.get("restoreId").asText());
            }
        }
    }
}
