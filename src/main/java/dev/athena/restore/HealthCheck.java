package dev.athena.restore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.athena.concurrent.Pacer;

/** HEALTH_CHECK_URLS: every endpoint must answer 2xx; each is polled until it does or the timeout ends. */
public final class HealthCheck {
    private final List<URI> urls;
    private final Duration timeout;
    private final Duration interval;
    private final Pacer pacer;
    /** Made at the first probe: building an HttpClient sets up TLS, which costs a CLI restore without health checks 0.7 s. */
    private HttpClient http;

    public HealthCheck(List<URI> urls, Duration timeout, Duration interval) {
        this(urls, timeout, interval, Pacer.system());
    }

    public HealthCheck(List<URI> urls, Duration timeout, Duration interval, Pacer pacer) {
        this.urls = List.copyOf(urls);
        this.timeout = timeout;
        this.interval = interval;
        this.pacer = pacer;
    }

    public boolean configured() {
        return !urls.isEmpty();
    }

    /** The endpoints that were still unhealthy when the timeout ended, each with its last answer. */
    public List<String> awaitHealthy() throws InterruptedException {
        Instant deadline = pacer.now().plus(timeout);
        List<String> failing = new ArrayList<>();
        for (URI url : urls) {
            String last;
            while (true) {
                last = probe(url);
                if (last == null || pacer.now().isAfter(deadline)) {
                    break;
                }
                pacer.sleep(interval);
            }
            if (last != null) {
                failing.add(url + ": " + last);
            }
        }
        return failing;
    }

    /** Null when healthy, else what was wrong. */
    private String probe(URI url) throws InterruptedException {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
        } catch (java.io.IOException e) {
            return NetworkFailure.describe(e, url);
        }
    }
}
