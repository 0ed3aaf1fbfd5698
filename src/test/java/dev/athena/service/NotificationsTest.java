package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.athena.repository.Json;
import dev.athena.testing.ServiceFixture;

/**
 * NOTIFY_WEBHOOK_URLS against a real local HTTP receiver: a failed restore and (with
 * NOTIFY_ON_SUCCESS) a successful backup are posted with a Slack-style text and no secret; a
 * receiver that is down never holds a job up, and its failure is logged once.
 */
class NotificationsTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    /** A webhook receiver: keeps every body it is sent, answering 200 (or 500 while {@code failing}). */
    private static final class Receiver implements AutoCloseable {
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final List<String> paths = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                received.add(Json.MAPPER.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                paths.add(ex.getRequestURI().toString());
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T000/secret-token-0123";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void failuresAndOnRequestSuccessesArePostedWithATextAndNoSecret() throws Exception {
        try (Receiver receiver = new Receiver();
             ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), Map.of("NOTIFY_WEBHOOK_URLS", receiver.url(),
                     "NOTIFY_ON_SUCCESS", "true", "ATHENA_ENCRYPTION_KEY", "the-encryption-key-0123456789"))) {
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).isEqualTo("Success");
            JsonNode ok = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received.stream()
                    .filter(j -> j.path("event").asText().equals("backup.succeeded")).findFirst().orElse(null), java.util.Objects::nonNull);
            assertThat(ok.get("text").asText()).startsWith("Athena (namespace app): Backup " + ts + " succeeded after");
            assertThat(ok.get("timestamp").asText()).isEqualTo(ts);
            assertThat(ok.get("link").asText()).isEqualTo("/athena/api/v1/backupstatus?timestamp=" + ts);
            assertThat(receiver.paths).allSatisfy(p -> assertThat(p).isEqualTo("/hooks/T000/secret-token-0123"));

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            athena.blocking.failRestores("disk on fire (injected)");
            assertThat(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}").status()).isEqualTo(202);
            assertThat(athena.awaitFinished(API + "/restorestatus", ts).get("status").asText()).isEqualTo("Failed");
            JsonNode failed = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received.stream()
                    .filter(j -> j.path("event").asText().equals("restore.failed")).findFirst().orElse(null), java.util.Objects::nonNull);
            assertThat(failed.get("text").asText()).contains("Restore", "of backup " + ts, "FAILED", "disk on fire");
            assertThat(failed.get("restoreId").asText()).isNotBlank();
            assertThat(receiver.received.toString()).doesNotContain("the-encryption-key").doesNotContain(ServiceFixture.KEY)
                    .doesNotContain("secret-token");
        }
    }

    @Test
    void aReceiverThatIsDownNeverHoldsUpAJobAndIsLoggedOnce() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Logger logger = (Logger) LoggerFactory.getLogger(Notifier.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(),
                Map.of("NOTIFY_WEBHOOK_URLS", "http://127.0.0.1:" + closed + "/hook?token=secret-token-0123", "NOTIFY_ON_SUCCESS", "true"))) {
            for (int i = 0; i < 2; i++) {
                String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
                assertThat(athena.awaitFinished(API + "/backupstatus", ts).get("status").asText()).as("the job is not held up").isEqualTo("Success");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> athena.call("GET", "/metrics", null).body()
                    .contains("athena_notifications_total{result=\"failed\"} 2.0"));
            List<String> errors = lines.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(errors).singleElement().asString().contains("webhook at http://127.0.0.1:" + closed, "3 attempts",
                    "not logged until it answers again").doesNotContain("secret-token");
        } finally {
            logger.detachAppender(lines);
        }
    }
}
