package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.storage.S3Store;
import dev.athena.testing.MutableClock;
import dev.athena.testing.S3Server;
import dev.athena.testing.ServiceFixture;

/**
 * serve keeping a second location in step (COPY_TO): after each backup into a real S3 server
 * (S3Proxy) with its own key, and on COPY_FREQUENCY with its own retention; a restore reads the
 * copy with "location": "secondary".
 */
class SecondLocationTest {
    private static final String API = "/athena/api/v1";
    private static final String PRIMARY_KEY = "primary-key-0123456789";
    private static final String COPY_KEY = "second-key-0123456789";
    @RegisterExtension
    static S3ProxyExtension s3 = S3Server.extension();
    @TempDir
    Path tmp;

    private static JsonNode copyStatus(ServiceFixture athena) throws Exception {
        return athena.call("GET", API + "/schedule", null).json().path("copy");
    }

    @Test
    void eachBackupIsCopiedToS3WithItsOwnKeyAndARestoreReadsTheCopy() throws Exception {
        S3Server.createBucket(s3, "second-copy");
        Map<String, String> env = Map.of("COPY_TO", "s3://second-copy", "AWS_S3_ENDPOINT", s3.getUri().toString(), "AWS_S3_REGION", "us-east-1",
                "AWS_ACCESS_KEY", S3Server.ACCESS, "AWS_SECRET_KEY", S3Server.SECRET, "ATHENA_ENCRYPTION_KEY", PRIMARY_KEY,
                "ATHENA_COPY_ENCRYPTION_KEY", COPY_KEY, "ATHENA_SCRATCH_DIR", Files.createDirectories(tmp.resolve("scratch")).toString());
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), env)) {
            Files.write(athena.metagraph.resolve("big.bin"), new byte[3 * 1024 * 1024]);
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");

            JsonNode copy = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> copyStatus(athena),
                    c -> "Success".equals(c.path("lastResult").asText()) && c.path("backupsThere").asInt() == 1);
            assertThat(copy.get("location").asText()).contains("second-copy");
            assertThat(copy.get("when").asText()).isEqualTo("after each backup");
            assertThat(copy.toString()).as("no key in the answer").doesNotContain(COPY_KEY).doesNotContain(S3Server.SECRET);

            Repository second = Repository.open(new S3Store(S3Server.settings(s3, "second-copy")), "app", COPY_KEY, false);
            assertThat(second.timestamps()).containsExactly(ts);
            assertThatThrownBy(() -> Repository.open(new S3Store(S3Server.settings(s3, "second-copy")), "app", PRIMARY_KEY, false)
                    .readManifest(ts)).as("sealed with the second location's own key").isInstanceOf(RuntimeException.class);
            assertThat(athena.call("GET", "/metrics", null).body()).contains("athena_copies_total{result=\"Success\"}");

            // The first location is made unreadable: only the copy can give the data back.
            Files.writeString(athena.metagraph.resolve("graph.db"), "changed after the backup");
            Path packs = athena.root.resolve("backups/app/repository/data");
            Path hidden = athena.root.resolve("hidden-packs");
            Files.move(packs, hidden);
            String body = "{\"timestamp\": \"" + ts + "\", \"location\": \"secondary\", \"svcs\": {\"postgres\": {\"disable\": true}}}";
            assertThat(athena.call("POST", API + "/ondemandrestore", body).status()).isEqualTo(202);
            JsonNode restore = athena.awaitFinished(API + "/restorestatus", ts);
            assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("Success");
            assertThat(restore.get("backupurl").asText()).as("the record names where the backup was read").contains("second-copy");
            assertThat(restore.path("request").path("location").asText()).isEqualTo("secondary");
            assertThat(athena.call("GET", API + "/restorereport?timestamp=" + ts, null).body()).contains("Requested by", "API key #1, from 127.0.0.1");
            assertThat(Files.readString(athena.metagraph.resolve("graph.db"))).isEqualTo("nodes and edges");
            Files.move(hidden, packs);

            ServiceFixture.Reply wrong = athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"location\": \"secondry\"}");
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.json().get("message").asText()).contains("primary or secondary", "did you mean 'secondary'");
        }
    }

    @Test
    void aRestoreFromTheSecondLocationWithoutOneIsRefusedSayingWhatToSet() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"))) {
            ServiceFixture.Reply r = athena.call("POST", API + "/ondemandrestore",
                    "{\"timestamp\": \"2026-12-01t00-00-00\", \"location\": \"secondary\"}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("message").asText()).contains("set COPY_TO");
            assertThat(athena.call("GET", API + "/schedule", null).json().has("copy")).isFalse();
        }
    }

    @Test
    void onItsOwnScheduleTheCopyKeepsItsOwnRetentionAndNeverSendsWhatItWouldForget() throws Exception {
        Path secondRoot = tmp.resolve("second");
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
        Map<String, String> env = new HashMap<>(Map.of("COPY_TO", secondRoot.toString(), "COPY_FREQUENCY", "0 0 3 * * *",
                "COPY_RETENTION_PERIOD", "1"));
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), clock, env)) {
            // Once the backup's after-work (sweep, and a copy were it due after each backup) has given the slot back.
            String first = athena.backup();
            assertThat(copyStatus(athena).has("lastResult")).as("no copy before 03:00").isFalse();
            assertThat(copyStatus(athena).get("when").asText()).isEqualTo("on 0 0 3 * * *");

            clock.set(Instant.parse("2026-12-01T03:00:01Z"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> copyStatus(athena).path("backupsThere").asInt() == 1);

            // Three days on: the copy keeps 1 day, the first location 90.
            clock.set(Instant.parse("2026-12-04T02:00:00Z"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty()
                    && copyStatus(athena).path("lastStartedAt").asText().startsWith("2026-12-04"));
            String second = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished(API + "/backupstatus", second).get("status").asText()).isEqualTo("Success");
            clock.set(Instant.parse("2026-12-04T03:00:01Z"));
            Repository copies = Repository.open(new LocalStore(secondRoot), "app", null, false);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> copies.timestamps().equals(List.of(second))
                    && "Success".equals(copyStatus(athena).path("lastResult").asText()));
            assertThat(Repository.open(new LocalStore(athena.root.resolve("backups")), "app", null, false).timestamps())
                    .as("the first location keeps both").containsExactly(first, second);
        }
    }
}
