package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.testing.ServiceFixture;

/**
 * A running backup and restore say how far they have got, through a real service on a real HTTP
 * port: in their record (GET /backupstatus, /restorestatus), in the metrics, and in the log. The
 * metagraph component is held at work after its data is done, so the job is caught mid-way.
 */
class ProgressTest {
    private static final String API = "/athena/api/v1";

    @TempDir
    Path tmp;

    @Test
    void aRunningBackupAndRestoreShowTheirPhaseComponentsBytesFilesAndTimeLeft() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            Random random = new Random(7);
            for (int i = 0; i < 5; i++) {
                byte[] data = new byte[300_000];
                random.nextBytes(data);
                Files.write(athena.metagraph.resolve("part-" + i), data);
            }
            long metagraphBytes = 5 * 300_000 + Files.size(athena.metagraph.resolve("graph.db"));

            String first = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            JsonNode firstDone = athena.awaitFinished(API + "/backupstatus", first);
            assertThat(firstDone.get("status").asText()).isEqualTo("Success");
            assertThat(firstDone.has("progress")).as("a finished record has no progress").isFalse();
            long platformBytes = firstDone.get("bytes").asLong();

            athena.blocking.holdAfterData();
            String second = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.blocking.awaitDataDone()).isTrue();
            JsonNode running = athena.call("GET", API + "/backupstatus?timestamp=" + second, null).json();
            assertThat(running.get("status").asText()).isEqualTo("Running");
            JsonNode p = running.get("progress");
            assertThat(p).as(running.toString()).isNotNull();
            assertThat(p.get("phase").asText()).isEqualTo("backing up");
            assertThat(p.get("components")).extracting(JsonNode::asText).contains("metagraph");
            assertThat(p.get("bytesDone").asLong()).as(p.toString()).isGreaterThanOrEqualTo(metagraphBytes);
            assertThat(p.get("bytesTotal").asLong()).as("what the last backup held").isEqualTo(platformBytes);
            assertThat(p.get("totalsEstimated").asBoolean()).isTrue();
            assertThat(p.get("filesDone").asLong()).isGreaterThanOrEqualTo(6);
            assertThat(p.get("percent").asDouble()).isBetween(0.0, 100.0);
            assertThat(athena.call("GET", API + "/backup/latest", null).json().get("progress")).as("latest").isNotNull();

            String metrics = athena.call("GET", "/metrics", null).body();
            var samples = MetricsTest.parse(metrics);
            assertThat(samples).anySatisfy(s -> {
                assertThat(s.name()).isEqualTo("athena_job_progress_bytes");
                assertThat(s.labels()).isEqualTo(Map.of("job", "backup"));
                assertThat(s.value()).isGreaterThanOrEqualTo(metagraphBytes);
            });
            athena.blocking.release();
            JsonNode secondDone = athena.awaitFinished(API + "/backupstatus", second);
            assertThat(secondDone.get("status").asText()).isEqualTo("Success");
            assertThat(secondDone.has("progress")).isFalse();
            assertThat(MetricsTest.parse(athena.call("GET", "/metrics", null).body()))
                    .as("no progress series once no job runs").noneMatch(s -> s.name().startsWith("athena_job_progress"));

            athena.blocking.holdAfterData();
            var accepted = athena.call("POST", API + "/ondemandrestore", """
                    {"timestamp": "%s", "disableUpgrade": true, "disablePostRestoreChecks": true}""".formatted(second));
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            assertThat(athena.blocking.awaitDataDone()).isTrue();
            JsonNode restoring = athena.call("GET", API + "/restorestatus?timestamp=" + second, null).json();
            assertThat(restoring.get("status").asText()).isEqualTo("Running");
            JsonNode rp = restoring.get("progress");
            assertThat(rp).as(restoring.toString()).isNotNull();
            assertThat(rp.get("phase").asText()).isEqualTo("restore");
            assertThat(rp.get("components")).extracting(JsonNode::asText).contains("metagraph");
            assertThat(rp.get("bytesTotal").asLong()).as("exact: what the backup holds").isEqualTo(secondDone.get("bytes").asLong());
            assertThat(rp.get("totalsEstimated").asBoolean()).isFalse();
            assertThat(rp.get("bytesDone").asLong()).isGreaterThanOrEqualTo(metagraphBytes);
            assertThat(athena.call("GET", API + "/restorestatus?timestamp=" + second + "&restoreId=" + restoring.get("restoreId").asText(), null)
                    .json().get("progress")).as("by its id").isNotNull();
            athena.blocking.release();
            JsonNode restored = athena.awaitFinished(API + "/restorestatus", second);
            assertThat(restored.get("status").asText()).as(restored.toString()).isEqualTo("Success");
            assertThat(restored.has("progress")).isFalse();
        }
    }

    @Test
    void theLogSaysEachRunningJobsProgressEveryTenSeconds() {
        Logger logger = (Logger) LoggerFactory.getLogger(ProgressBoard.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            ProgressBoard board = new ProgressBoard();
            ProgressMeter meter = new ProgressMeter();
            meter.phase("backing up", 2048, -1, true);
            meter.addBytes(1024);
            long start = System.nanoTime();
            board.track(ProgressBoard.Kind.backup, "2026-12-07t10-00-00", () -> meter);
            board.track(ProgressBoard.Kind.restore, "not-begun", () -> null);
            board.logDue(start + 5_000_000_000L);
            assertThat(lines.list).as("nothing before 10 s").isEmpty();
            board.logDue(start + 10_500_000_000L);
            board.logDue(start + 12_000_000_000L);
            assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                    .singleElement().asString().startsWith("backup 2026-12-07t10-00-00: backing up: 1.0 KiB of about 2.0 KiB (50.0%)");
            board.logDue(start + 21_000_000_000L);
            assertThat(lines.list).hasSize(2);
            board.untrack(ProgressBoard.Kind.backup, "2026-12-07t10-00-00");
            board.logDue(start + 40_000_000_000L);
            assertThat(lines.list).hasSize(2);
        } finally {
            logger.detachAppender(lines);
        }
    }
}
