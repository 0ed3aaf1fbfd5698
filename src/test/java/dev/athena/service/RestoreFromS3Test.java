package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.testing.S3Server;
import dev.athena.testing.ServiceFixture;

/** The service backing up to and restoring from a real S3 server (S3Proxy in-process). */
class RestoreFromS3Test {
    private static final String API = "/athena/api/v1";
    @RegisterExtension
    static S3ProxyExtension proxy = S3Server.extension();
    @TempDir
    Path tmp;

    @Test
    void aRestoreFromS3GoesThroughTheDownloadCacheAndLeavesNoCopiesBehind() throws Exception {
        S3Server.createBucket(proxy, "platform-backups");
        Path scratch = tmp.resolve("scratch");
        Map<String, String> env = Map.of("BACKUP_LOCATION_TYPE", "s3", "AWS_S3_BUCKET_NAME", "platform-backups", "AWS_S3_REGION", "us-east-1",
                "AWS_S3_ENDPOINT", proxy.getUri().toString(), "AWS_ACCESS_KEY", S3Server.ACCESS, "AWS_SECRET_KEY", S3Server.SECRET,
                "ATHENA_SCRATCH_DIR", scratch.toString());
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), env)) {
            Files.write(athena.metagraph.resolve("big.bin"), new byte[5 * 1024 * 1024]);
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");

            Files.writeString(athena.metagraph.resolve("graph.db"), "changed after the backup");
            assertThat(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}").status()).isEqualTo(202);
            JsonNode restore = athena.awaitFinished(API + "/restorestatus", ts);

            assertThat(restore.get("status").asText()).as(restore.toString()).isEqualTo("Success");
            assertThat(Files.readString(athena.metagraph.resolve("graph.db"))).isEqualTo("nodes and edges");
            try (Stream<Path> left = Files.list(scratch)) {
                assertThat(left).as("the download cache is removed when the restore ends").isEmpty();
            }
        }
    }
}
