package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;
import dev.athena.testing.ServiceFixture.Reply;

/** Every error status of the contract, always as JSON {"code", "message"}, and never a 5xx for bad input. */
class ApiErrorsTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;
    ServiceFixture athena;

    @BeforeEach
    void start() throws Exception {
        athena = new ServiceFixture(tmp);
    }

    @AfterEach
    void stop() {
        athena.close();
    }

    private static void assertError(Reply r, int status, String messagePart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asInt()).isEqualTo(status);
        assertThat(r.json().get("message").asText()).containsIgnoringCase(messagePart);
    }

    @Test
    void aMissingOrWrongKeyIs401AndHealthAndMetricsNeedNone() throws Exception {
        assertError(athena.send("GET", API + "/backuplist", null), 401, "API key");
        assertError(athena.send("GET", API + "/backuplist", null, "Authorization", "wrong"), 401, "API key");
        assertError(athena.send("POST", API + "/ondemandbackup", "{}", "Authorization", "Bearer wrong"), 401, "API key");
        assertThat(athena.send("GET", API + "/backuplist", null, "Authorization", "Bearer " + ServiceFixture.KEY).status()).isEqualTo(200);
        assertThat(athena.send("GET", "/healthz", null).status()).isEqualTo(200);
        Reply metrics = athena.send("GET", "/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("athena_backup_last_success_timestamp_seconds").contains("athena_backup_failures_total");
    }

    @Test
    void badInputIs400() throws Exception {
        assertError(athena.call("POST", API + "/ondemandbackup", "{not json"), 400, "malformed JSON");
        assertError(athena.call("POST", API + "/ondemandbackup", "[1,2]"), 400, "JSON object");
        assertError(athena.call("POST", API + "/ondemandbackup", "{\"onlyConfig\": \"yes\"}"), 400, "onlyConfig");
        assertError(athena.call("GET", API + "/backupstatus", "{\"timestamp\": 20230202}"), 400, "timestamp");
        assertError(athena.call("GET", API + "/backupstatus", "{\"timestamp\": \"../../etc/passwd\"}"), 400, "invalid timestamp");
        assertError(athena.call("GET", API + "/backupstatus?timestamp=2023-02-02t17-03-15/../x", null), 400, "invalid timestamp");
        assertError(athena.call("GET", API + "/backupstatus", ""), 400, "timestamp is required");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"2023-02-02t17-03-15\", \"sourceNamespace\": \"../other\"}"),
                400, "sourceNamespace");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"2023-02-02t17-03-15\", \"disableUpgrade\": 1}"),
                400, "disableUpgrade");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"2023-02-02t17-03-15\", \"svcs\": {\"kafka\": {\"disable\": true}}}"),
                400, "unknown service");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"2023-02-02t17-03-15\", \"svcs\": {\"postgres\": {\"disable\": \"no\"}}}"),
                400, "svcs.postgres.disable");
    }

    @Test
    void unknownBackupsAre404() throws Exception {
        assertError(athena.call("GET", API + "/backup/latest", null), 404, "no backup");
        assertError(athena.call("GET", API + "/backupstatus?timestamp=2023-02-02t17-03-15", null), 404, "no backup");
        assertError(athena.call("GET", API + "/restorestatus?timestamp=2023-02-02t17-03-15", null), 404, "no restore");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"2023-02-02t17-03-15\"}"), 404, "no backup");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"2023-02-02t17-03-15\", \"sourceNamespace\": \"elsewhere\"}"),
                404, "elsewhere");
        assertError(athena.call("GET", API + "/nothing", null), 404, "not found");
    }

    @Test
    void aSecondJobWhileOneRunsIs409AndTheFirstIsRunningFromTheStart() throws Exception {
        athena.blocking.hold();
        Reply first = athena.call("POST", API + "/ondemandbackup", "{}");
        assertThat(first.status()).isEqualTo(202);
        String ts = ServiceFixture.timestampOf(first);
        Reply status = athena.call("GET", API + "/backupstatus?timestamp=" + ts, null);
        assertThat(status.json().get("status").asText()).isEqualTo("Running");
        assertThat(athena.blocking.awaitEntered()).isTrue();

        assertError(athena.call("POST", API + "/ondemandbackup", "{}"), 409, "already running");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}"), 409, "");
        athena.blocking.release();
        assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");
        assertThat(athena.call("POST", API + "/ondemandbackup", "{}").status()).isEqualTo(202);
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws Exception {
        String big = "{\"onlyConfig\": false, \"pad\": \"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        assertError(athena.call("POST", API + "/ondemandbackup", big), 413, "1 MiB");
    }

    @Test
    void malformedBodiesThrownAtEveryEndpointNeverGetA5xx() throws Exception {
        Random random = new Random(1234);
        List<String> seeds = List.of("{", "}", "[]", "null", "true", "0", "\"s\"", "{\"timestamp\":null}", "{\"timestamp\":[]}",
                "{\"timestamp\":{}}", "{\"svcs\":[]}", "{\"svcs\":{\"postgres\":null}}", "{\"onlyConfig\":null}", "\u0000\u0001",
                "{\"timestamp\":\"2023-02-02t17-03-15\",\"svcs\":{\"gitserver\":{\"disable\":[true]}}}", "{\"a\":" + "[".repeat(5000));
        List<String[]> endpoints = List.of(new String[] {"POST", API + "/ondemandbackup"}, new String[] {"GET", API + "/backup/latest"},
                new String[] {"GET", API + "/backupstatus"}, new String[] {"GET", API + "/backuplist"},
                new String[] {"POST", API + "/ondemandrestore"}, new String[] {"GET", API + "/restorestatus"});
        int requests = 0;
        for (String[] e : endpoints) {
            for (int i = 0; i < 40; i++) {
                String body = i < seeds.size() ? seeds.get(i) : mutate(seeds.get(random.nextInt(seeds.size())), random);
                Reply r = athena.call(e[0], e[1], body);
                requests++;
                assertThat(r.status()).as(e[0] + " " + e[1] + " with " + body).isLessThan(500);
                assertThat(r.json().isObject() || r.json().isArray()).isTrue();
            }
        }
        assertThat(requests).isEqualTo(240);
        assertThat(athena.send("GET", "/healthz", null).status()).isEqualTo(200);
    }

    private static String mutate(String s, Random random) {
        StringBuilder b = new StringBuilder(s);
        for (int k = 0; k < 3; k++) {
            int pos = b.length() == 0 ? 0 : random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.insert(pos, (char) (random.nextInt(94) + 32));
                case 1 -> { if (b.length() > 0) b.deleteCharAt(pos); }
                default -> b.insert(pos, "{\"timestamp\":\"" + (random.nextBoolean() ? "2023-02-02t17-03-15" : "%2e%2e/") + "\"}");
            }
        }
        return b.toString();
    }
}
