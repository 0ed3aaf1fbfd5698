package dev.athena.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.athena.concurrent.Parallel;
import dev.athena.repository.Json;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NOTIFY_WEBHOOK_URLS: a JSON POST to each URL when a backup, restore or copy fails (and, with
 * NOTIFY_ON_SUCCESS, when one succeeds), with a Slack-compatible {@code text} line. Delivery runs
 * on a thread of its own, so a slow or dead receiver never holds up a job; each message is tried
 * {@link #ATTEMPTS} times with a timeout, then dropped. A receiver that is down is logged once,
 * not at every message, and again once it answers. A webhook URL is a secret (Slack's carry a
 * token), so only its host is ever logged; the message holds what a record holds, never a key.
 */
public final class Notifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    static final int ATTEMPTS = 3;
    private final List<URI> urls;
    private final boolean onSuccess;
    private final Duration timeout;
    private final Duration backoff;
    private final Metrics metrics;
    private final ThreadPoolExecutor sender;
    private final Set<URI> down = ConcurrentHashMap.newKeySet();
    private HttpClient http;

    public Notifier(List<URI> urls, boolean onSuccess, Duration timeout, Duration backoff, Metrics metrics) {
        this.urls = List.copyOf(urls);
        this.onSuccess = onSuccess;
        this.timeout = timeout;
        this.backoff = backoff;
        this.metrics = metrics;
        // One sender, a bounded queue: past 1,000 waiting messages (a receiver down for days under a busy schedule) new ones are dropped.
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(1000), Parallel.daemons("athena-notify"),
                (task, pool) -> log.warn("notification dropped: 1,000 are already waiting for a receiver"));
    }

    /** A notifier that sends nothing (NOTIFY_WEBHOOK_URLS unset). */
    public static Notifier none() {
        return new Notifier(List.of(), false, Duration.ofSeconds(1), Duration.ZERO, null);
    }

    /** What happened, for the message: {@code kind} backup, restore or copy; {@code status} Success or Failed. */
    public record Event(String kind, String status, String namespace, String timestamp, String restoreId, String error, Long durationMs,
                        String link) {
        String text() {
            String what = switch (kind) {
                case "restore" -> "Restore " + restoreId + " of backup " + timestamp;
                case "copy" -> "Copy to the second location";
                case "verification" -> "Verification of the stored backups";
                case "drill" -> "Restore drill " + restoreId + " of backup " + timestamp;
                default -> "Backup " + timestamp;
            };
            return "Athena (namespace " + namespace + "): " + what + (status.equals("Success") ? " succeeded" : " FAILED")
                    + (durationMs == null ? "" : " after " + dev.athena.concurrent.Sizes.duration(durationMs))
                    + (error == null ? "" : ": " + error);
        }
    }

    /** Queues the event for every URL when it is one to send; returns at once. */
    public void notify(Event e) {
        if (urls.isEmpty() || e.status().equals("Success") && !onSuccess) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", e.text());
        body.put("event", e.kind() + "." + (e.status().equals("Success") ? "succeeded" : "failed"));
        body.put("namespace", e.namespace());
        body.put("status", e.status());
        body.put("timestamp", e.timestamp());
        if (e.restoreId() != null) {
            body.put("restoreId", e.restoreId());
        }
        if (e.error() != null) {
            body.put("error", e.error());
        }
        if (e.durationMs() != null) {
            body.put("durationMs", e.durationMs());
        }
        if (e.link() != null) {
            body.put("link", e.link());
        }
        body.put("athenaVersion", dev.athena.config.AthenaVersion.NUMBER);
        body.put("host", dev.athena.repository.RepositoryLock.hostname());
        byte[] json = Json.write(body);
        for (URI url : urls) {
            sender.execute(() -> deliver(url, json, (String) body.get("event")));
        }
    }

    private void deliver(URI url, byte[] json, String event) {
        String last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> r = client().send(HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                        .header("User-Agent", "athena/" + dev.athena.config.AthenaVersion.NUMBER)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    count("delivered");
                    if (down.remove(url)) {
                        log.info("webhook at {} answers again", where(url));
                    }
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(backoff.toMillis() * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        count("failed");
        if (down.add(url)) {
            log.error("webhook at {} did not take the {} notification after {} attempts ({}); further failures there are not logged until"
                    + " it answers again", where(url), event, ATTEMPTS, last);
        }
    }

    private void count(String result) {
        if (metrics != null) {
            metrics.notification(result);
        }
    }

    /** The scheme, host and port: the path and query of a webhook URL often hold its token. */
    static String where(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).build();
        }
        return http;
    }

    /** Lets queued messages go for a moment, then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdownNow();
    }
}
