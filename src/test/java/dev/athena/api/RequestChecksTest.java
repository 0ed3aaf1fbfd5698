package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;
import dev.athena.testing.ServiceFixture.Reply;

/** A field Athena does not know, and a timestamp that names no moment, are 400s that say what was meant. */
class RequestChecksTest {
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

    private static void assertError(Reply r, String... parts) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("code").asInt()).isEqualTo(400);
        for (String p : parts) {
            assertThat(r.json().get("message").asText()).contains(p);
        }
    }

    @Test
    void aMisspeltFieldIsRefusedWithTheNameItProbablyMeantAndNothingStarts() throws Exception {
        Reply backup = athena.call("POST", API + "/ondemandbackup", "{}");
        assertThat(backup.status()).isEqualTo(202);
        String ts = ServiceFixture.timestampOf(backup);
        assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");

        // "dryrun" ignored would have restored over the live volume instead of a dry run.
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"dryrun\": true}"),
                "unknown field 'dryrun'", "did you mean 'dryRun'?");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"svcs\": {\"gitserver\": {\"disabled\": true}}}"),
                "unknown field 'svcs.gitserver.disabled'", "did you mean 'disable'?");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"svcs\": {\"gitsever\": {\"disable\": true}}}"),
                "unknown service 'gitsever'", "did you mean 'gitserver'?");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"sourcenamespace\": \"app\"}"),
                "did you mean 'sourceNamespace'?");
        assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"color\": \"blue\"}"),
                "unknown field 'color'", "known: allowDowngrade,");
        assertThat(athena.call("GET", API + "/restorestatus?timestamp=" + ts, null).status()).as("no restore started").isEqualTo(404);

        assertError(athena.call("POST", API + "/ondemandbackup", "{\"onlyconfig\": true}"), "did you mean 'onlyConfig'?");
        assertError(athena.call("GET", API + "/backupstatus", "{\"timestamp\": \"" + ts + "\", \"timestmp\": \"x\"}"), "did you mean 'timestamp'?");
        assertThat(athena.call("GET", API + "/backuplist", null).json()).hasSize(1);
    }

    @Test
    void aTimestampThatNamesNoRealMomentIs400OnEveryEndpoint() throws Exception {
        for (String ts : List.of("2023-13-45t99-99-99", "2023-02-30t10-00-00", "2023-02-02t25-00-00", "2023-02-02t10-60-00", "2023-00-10t10-00-00")) {
            for (String path : List.of("/backupstatus", "/restorestatus", "/restorereport")) {
                assertError(athena.call("GET", API + path + "?timestamp=" + ts, null), "invalid timestamp '" + ts + "'", "no real moment");
                assertError(athena.call("GET", API + path, "{\"timestamp\": \"" + ts + "\"}"), "no real moment");
            }
            assertError(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}"), "no real moment");
        }
        // A leap day is a real moment: an unknown backup, not a bad request.
        assertThat(athena.call("GET", API + "/backupstatus?timestamp=2024-02-29t10-00-00", null).status()).isEqualTo(404);
    }
}
