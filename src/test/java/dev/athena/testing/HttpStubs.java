package dev.athena.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Small local HTTP stubs for what cannot run here: a platform health endpoint and a Jenkins server. */
public final class HttpStubs {
    private HttpStubs() {
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    /** A health endpoint answering the given status (changeable while running). */
    public static final class Health implements AutoCloseable {
        private final HttpServer server;
        public volatile int status = 200;

        public Health() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/health", ex -> reply(ex, status, "{}"));
            server.start();
        }

        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * A stub of Jenkins' REST API (no Jenkins runs here): a queued build gets a build number on the
     * second look at its queue item, and finishes with {@code result} on the second look at the build.
     */
    public static final class Jenkins implements AutoCloseable {
        private final HttpServer server;
        public final List<String> triggered = new CopyOnWriteArrayList<>();
        public final List<String> authorizations = new CopyOnWriteArrayList<>();
        public volatile String result = "SUCCESS";
        private final AtomicInteger queueLooks = new AtomicInteger();
        private final AtomicInteger buildLooks = new AtomicInteger();

        public Jenkins() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        public String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        private void handle(HttpExchange ex) throws IOException {
            String path = ex.getRequestURI().getPath();
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            if (ex.getRequestMethod().equals("POST") && path.endsWith("/buildWithParameters")) {
                triggered.add(ex.getRequestURI().toString());
                ex.getResponseHeaders().add("Location", url() + "queue/item/7/");
                reply(ex, 201, "");
            } else if (path.equals("/queue/item/7/api/json")) {
                reply(ex, 200, queueLooks.incrementAndGet() < 2 ? "{\"why\":\"waiting\"}"
                        : "{\"executable\":{\"number\":42,\"url\":\"" + url() + "job/platform-tests/42/\"}}");
            } else if (path.equals("/job/platform-tests/42/api/json")) {
                reply(ex, 200, buildLooks.incrementAndGet() < 2 ? "{\"building\":true,\"result\":null}"
                        : "{\"building\":false,\"result\":\"" + result + "\"}");
            } else {
                reply(ex, 404, "{}");
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
