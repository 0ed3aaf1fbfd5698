package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;
import dev.athena.testing.Trees;

/** Each backup and restore record says what its job asked of the store: the run's cost where requests and bytes are billed. */
class RequestCountsTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    /** A POST right after the previous job's end is accepted, even while the retention sweep that follows a backup runs. */
    private static ServiceFixture.Reply accepted(ServiceFixture athena, String path, String body) throws Exception {
        ServiceFixture.Reply r = athena.call("POST", path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r;
    }

    private static long total(JsonNode requests) {
        return requests.get("put").asLong() + requests.get("get").asLong() + requests.get("head").asLong() + requests.get("list").asLong()
                + requests.get("delete").asLong();
    }

    @Test
    void anUnchangedReBackupOfTenThousandFilesAsksAFewDozenRequestsAndTheRecordsSaySo() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            for (int i = 0; i < 10_000; i++) {
                Trees.write(athena.metagraph.resolve("many/" + i % 100 + "/" + i), ("file " + i).getBytes());
            }
            String first = ServiceFixture.timestampOf(accepted(athena, API + "/ondemandbackup", "{}"));
            JsonNode one = athena.awaitFinished(API + "/backupstatus", first);
            assertThat(one.get("status").asText()).as(one.toString()).isEqualTo("Success");
            JsonNode requests = one.get("requests");
            assertThat(requests.get("put").asLong()).as(requests.toString()).isPositive();
            assertThat(requests.get("bytesUp").asLong()).as("at least the new bytes stored").isGreaterThanOrEqualTo(one.get("newBytes").asLong());

            String second = ServiceFixture.timestampOf(accepted(athena, API + "/ondemandbackup", "{}"));
            JsonNode two = athena.awaitFinished(API + "/backupstatus", second);
            assertThat(two.get("status").asText()).as(two.toString()).isEqualTo("Success");
            JsonNode again = two.get("requests");
            assertThat(total(again)).as("requests of an unchanged re-backup: " + again).isLessThanOrEqualTo(60);
            assertThat(again.get("bytesUp").asLong()).as("nothing but metadata sent: " + again).isLessThan(64 * 1024);

            accepted(athena, API + "/ondemandrestore", "{\"timestamp\": \"" + second + "\", \"disableUpgrade\": true}");
            JsonNode restore = athena.awaitFinished(API + "/restorestatus", second);
            assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("Success");
            JsonNode read = restore.get("requests");
            assertThat(read.get("get").asLong()).as(read.toString()).isPositive();
            assertThat(read.get("bytesDown").asLong()).as("at least the packs read: " + read).isGreaterThan(one.get("newBytes").asLong() / 2);
        }
    }
}
