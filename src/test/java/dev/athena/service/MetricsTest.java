package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;

/** GET /metrics parses as the Prometheus text format 0.0.4, label values escaped, every sample under its family's TYPE. */
class MetricsTest {
    @TempDir
    Path tmp;

    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** A strict reader of the text format: anything it does not recognise fails the test. */
    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                assertThat(p).as(line).hasSize(2);
                assertThat(p[1]).as(line).isIn("counter", "gauge", "histogram", "summary", "untyped");
                types.put(p[0], p[1]);
                continue;
            }
            assertThat(line).as("a sample line").doesNotStartWith("#");
            int i = 0;
            while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == ':')) {
                i++;
            }
            String name = line.substring(0, i);
            assertThat(name).as(line).matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < line.length() && line.charAt(i) == '{') {
                i++;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq);
                    assertThat(label).matches("[a-zA-Z_][a-zA-Z0-9_]*");
                    assertThat(line.charAt(eq + 1)).isEqualTo('"');
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char next = line.charAt(++j);
                            assertThat(next).as("escape in " + line).isIn('\\', '"', 'n');
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(label, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                i++;
            }
            assertThat(line.charAt(i)).as(line).isEqualTo(' ');
            String family = types.containsKey(name) ? name : name.replaceAll("_total$", "");
            assertThat(types).as("TYPE line before " + name).containsKey(types.containsKey(name) ? name : family);
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(i + 1).trim())));
        }
        return samples;
    }

    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples)).value();
    }

    @Test
    void countersGaugesAndAwkwardLabelValuesParse() {
        Metrics m = new Metrics();
        String awkward = "vol \"a\\b\"\nc";
        m.backupSucceeded(1_700_000_000L, 2500, Map.of("postgres", Map.of("durationMs", 1500L, "bytes", 42L), awkward, Map.of("bytes", 7L)));
        m.backupFailed();
        m.restoreFinished(true);
        m.runSkipped();
        List<Sample> s = parse(m.render(true, false, java.util.Map.of()));
        assertThat(value(s, "athena_backups_total", Map.of("status", "Success"))).isEqualTo(1);
        assertThat(value(s, "athena_backups_total", Map.of("status", "Failed"))).isEqualTo(1);
        assertThat(value(s, "athena_restores_total", Map.of("status", "Success"))).isEqualTo(1);
        assertThat(value(s, "athena_restores_total", Map.of("status", "Failed"))).isZero();
        assertThat(value(s, "athena_backup_failures_total", Map.of())).isEqualTo(1);
        assertThat(value(s, "athena_scheduled_backups_skipped_total", Map.of())).isEqualTo(1);
        assertThat(value(s, "athena_backup_last_success_timestamp_seconds", Map.of())).isEqualTo(1.7e9);
        assertThat(value(s, "athena_job_running", Map.of())).isEqualTo(1);
        assertThat(value(s, "athena_leader", Map.of())).isZero();
        assertThat(value(s, "athena_component_backup_duration_seconds", Map.of("component", "postgres"))).isEqualTo(1.5);
        assertThat(value(s, "athena_component_backup_bytes", Map.of("component", awkward))).isEqualTo(7);
    }

    @Test
    void theServedPageParsesAndSaysThisReplicaLeads() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            ServiceFixture.Reply r = athena.send("GET", "/metrics", null);
            assertThat(r.status()).isEqualTo(200);
            List<Sample> s = parse(r.body());
            assertThat(value(s, "athena_leader", Map.of())).isEqualTo(1);
            assertThat(value(s, "athena_backups_total", Map.of("status", "Success"))).isZero();
        }
    }

    /**
     * Freshness: a restarted service reads its last success, the interval it achieved and the last
     * backup's duration from the records (not 0, which made an age alert fire after every restart),
     * knows the schedule's interval, and says how long a running job has run.
     */
    @Test
    void freshnessSurvivesARestartAndARunningJobSaysHowLongItHasRun() throws Exception {
        Map<String, String> env = Map.of("ENABLE_REGULAR_BACKUPS", "true", "BACKUP_FREQUENCY", "0 0 3 * * *");
        java.nio.file.Path root = tmp.resolve("athena");
        String first;
        String second;
        try (ServiceFixture athena = new ServiceFixture(root, java.time.Clock.systemUTC(), env)) {
            first = ServiceFixture.timestampOf(athena.call("POST", "/athena/api/v1/ondemandbackup", "{}"));
            athena.awaitFinished("/athena/api/v1/backupstatus", first);
            org.awaitility.Awaitility.await().until(() -> athena.service.jobs().running().isEmpty());
            second = ServiceFixture.timestampOf(athena.call("POST", "/athena/api/v1/ondemandbackup", "{}"));
            athena.awaitFinished("/athena/api/v1/backupstatus", second);
            org.awaitility.Awaitility.await().until(() -> athena.service.jobs().running().isEmpty());
        }
        try (ServiceFixture restarted = new ServiceFixture(root, java.time.Clock.systemUTC(), env)) {
            com.fasterxml.jackson.databind.JsonNode b2 = restarted.call("GET", "/athena/api/v1/backupstatus?timestamp=" + second, null).json();
            com.fasterxml.jackson.databind.JsonNode b1 = restarted.call("GET", "/athena/api/v1/backupstatus?timestamp=" + first, null).json();
            List<Sample> s = parse(restarted.send("GET", "/metrics", null).body());
            long finished = java.time.Instant.parse(b2.get("finishedAt").asText()).getEpochSecond();
            assertThat(value(s, "athena_backup_last_success_timestamp_seconds", Map.of())).isEqualTo(finished);
            assertThat(value(s, "athena_backup_achieved_interval_seconds", Map.of()))
                    .isEqualTo(finished - java.time.Instant.parse(b1.get("finishedAt").asText()).getEpochSecond());
            assertThat(value(s, "athena_backup_last_duration_seconds", Map.of())).isEqualTo(b2.get("durationMs").asLong() / 1000.0);
            assertThat(value(s, "athena_backup_interval_seconds", Map.of())).as("daily at 03:00").isEqualTo(86_400);
            assertThat(s).noneMatch(x -> x.name().equals("athena_job_running_seconds"));

            restarted.blocking.hold();
            String held = ServiceFixture.timestampOf(restarted.call("POST", "/athena/api/v1/ondemandbackup", "{}"));
            assertThat(restarted.blocking.awaitEntered()).isTrue();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> parse(restarted.send("GET", "/metrics", null).body())
                    .stream().anyMatch(x -> x.name().equals("athena_job_running_seconds") && x.labels().equals(Map.of("job", "backup")) && x.value() >= 1));
            restarted.blocking.release();
            restarted.awaitFinished("/athena/api/v1/backupstatus", held);
        }
    }
}
