package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.ServiceFixture;

/**
 * 3,000 (10,000 with -Pfaults) generated requests at the running API (every route, method, header, body shape and type,
 * query string, plus raw malformed HTTP): never a 5xx, never a stack trace or a class name in an
 * answer, and the service still answers afterwards. The seed is printed so a failure can be replayed
 * ({@code -Dathena.fuzz.seed=N}).
 */
class ApiFuzzTest {
    /** 3,000 by default; 10,000 with -Pfaults. */
    static final int REQUESTS = Integer.getInteger("athena.fuzz.requests", 3_000);
    static final String API = "/athena/api/v1";
    static final List<String> ROUTES = List.of(API + "/ondemandbackup", API + "/backup/latest", API + "/backupstatus", API + "/backuplist",
            API + "/ondemandrestore", API + "/restorestatus", API + "/restorereport", "/healthz", "/metrics", API + "/", API + "/nothing",
            "/", "/dashboard.js", "/dashboard.css", API + "/schedule", API + "/restorelist", API + "/backup/latest/more", API + "/../../etc/passwd", API + "/backupstatus/..%2f..%2fx", API + "/%00");
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO");
    static final List<String> FIELDS = List.of("timestamp", "onlyConfig", "sourceNamespace", "enableReportGeneration", "enableJenkinsTestRun",
            "disableUpgrade", "disablePreRestoreChecks", "disablePostRestoreChecks", "svcs", "dryRun", "allowDowngrade", "dryrun", "x", "");

    @TempDir
    Path tmp;

    private static String randomString(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> "";
            case 1 -> "2023-02-02t17-03-15";
            case 2 -> "2023-13-45t99-99-99";
            case 3 -> "../../etc/passwd";
            case 4 -> "\u0000\u202e\uD83D\uDE00" + "é".repeat(r.nextInt(5));
            case 5 -> "x".repeat(r.nextInt(100_000));
            case 6 -> "app";
            case 7 -> "%s%n${jndi:ldap://x}";
            case 8 -> "'; DROP TABLE backups; --";
            default -> Long.toString(r.nextLong(), 36);
        };
    }

    private static String randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 4 ? 6 : 9)) {
            case 0 -> "null";
            case 1 -> Boolean.toString(r.nextBoolean());
            case 2 -> Long.toString(r.nextLong());
            case 3 -> "1e309";
            case 4 -> "\"" + randomString(r).replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000") + "\"";
            case 5 -> Double.toString(r.nextDouble());
            case 6 -> randomObject(r, depth + 1);
            case 7 -> "[" + randomValue(r, depth + 1) + "," + randomValue(r, depth + 1) + "]";
            default -> "{\"gitserver\": {\"disable\": " + randomValue(r, depth + 1) + "}, \"" + FIELDS.get(r.nextInt(FIELDS.size())) + "\": {}}";
        };
    }

    private static String randomObject(Random r, int depth) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"').append(FIELDS.get(r.nextInt(FIELDS.size()))).append("\":").append(randomValue(r, depth + 1));
        }
        return b.append('}').toString();
    }

    private static String randomBody(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "{";
            case 3 -> "[" + "[".repeat(r.nextInt(5000)) + "]";
            case 4 -> "{\"a\":".repeat(2000) + "1" + "}".repeat(2000);
            case 5 -> new String(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2}, StandardCharsets.ISO_8859_1);
            case 6 -> "x".repeat(1024 * 1024 + 10);
            case 7 -> "{\"timestamp\": \"" + randomString(r) + "\"}";
            default -> randomObject(r, 0);
        };
    }

    private static String randomQuery(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "";
            case 1 -> "?timestamp=" + URLEncoder.encode(prefix(randomString(r), 2000), StandardCharsets.UTF_8);
            case 2 -> "?timestamp=2023-02-02t17-03-15&restoreId=" + URLEncoder.encode(prefix(randomString(r), 200), StandardCharsets.UTF_8)
                    + "&format=" + (r.nextBoolean() ? "json" : "pdf");
            case 3 -> "?timestamp=%25ZZ&&&=";
            case 4 -> "?" + "a=1&".repeat(r.nextInt(500));
            default -> "?timestamp=2024-02-29t10-00-00";
        };
    }

    private static String prefix(String s, int max) {
        return s.substring(0, Math.min(max, s.length()));
    }

    private static void assertClean(int status, String body, String what) {
        assertThat(status).as(what + " -> " + body.substring(0, Math.min(300, body.length()))).isLessThan(500);
        assertThat(body).as(what).doesNotContain("Exception").doesNotContain("dev.athena").doesNotContain("java.")
                .doesNotContain("\tat ").doesNotContain(ServiceFixture.KEY);
    }

    @Test
    void tenThousandGeneratedRequestsGetNo5xxAndNoStackTrace() throws Exception {
        long seed = Long.getLong("athena.fuzz.seed", System.nanoTime());
        System.out.println("ApiFuzzTest seed: " + seed + " (replay with -Dathena.fuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String previous = "";
            boolean previousClosed = false;
            // Counted as sent: a generated address that is not a URI at all (the client refuses it) does not count.
            for (int i = 0; statuses.values().stream().mapToInt(Integer::intValue).sum() < REQUESTS; i++) {
                String path = ROUTES.get(r.nextInt(ROUTES.size())) + randomQuery(r);
                String method = METHODS.get(r.nextInt(METHODS.size()));
                String body = randomBody(r);
                HttpRequest.Builder b;
                try {
                    b = HttpRequest.newBuilder(URI.create("http://localhost:" + athena.api.port() + path)).timeout(Duration.ofSeconds(30));
                } catch (IllegalArgumentException notAUri) {
                    continue;
                }
                b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1));
                switch (r.nextInt(6)) {
                    case 0 -> { }
                    case 1 -> b.header("Authorization", "Bearer " + ServiceFixture.KEY);
                    case 2 -> b.header("Authorization", "wrong-" + Long.toString(r.nextLong(), 36));
                    case 3 -> b.header("Authorization", ServiceFixture.KEY.substring(0, r.nextInt(ServiceFixture.KEY.length())));
                    default -> b.header("Authorization", ServiceFixture.KEY);
                }
                if (r.nextBoolean()) {
                    b.header("Content-Type", List.of("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                            "application/json; charset=utf-16").get(r.nextInt(5)));
                }
                if (r.nextInt(10) == 0) {
                    b.header("Accept", "text/html");
                    b.header("X-Forwarded-For", "1.2.3.4");
                }
                HttpResponse<String> resp;
                try {
                    resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.io.IOException e) {
                    // Refusing a body over the 1 MiB limit, the server answers before reading it and closes: the client, still
                    // sending, may see the connection reset before it reads the answer. Any other request must get one.
                    if (body != null && body.length() > ApiServer.MAX_BODY) {
                        statuses.merge(-1, 1, Integer::sum);
                        continue;
                    }
                    // A path Jetty refuses while parsing (%00) gets its 400 before the body is read, and Jetty then closes; a
                    // client still sending may see the reset before the answer (CI, seeds 310341727222 and one more; Jetty has no
                    // request to drain by then). The same request without a body must get its JSON 400 on a new connection.
                    if (body != null && path.split("\\?")[0].contains("%00")) {
                        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                        resp = http.send(b.method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(resp.statusCode()).as("#" + i + " " + method + " " + path + " without its body").isEqualTo(400);
                        statuses.merge(resp.statusCode(), 1, Integer::sum);
                        previousClosed = true;
                        previous = method + " " + prefix(path, 80) + " -> " + resp.statusCode() + " (again without its body)";
                        assertClean(resp.statusCode(), resp.body(), "#" + i + " " + method + " " + path);
                        continue;
                    }
                    // After an answer with "Connection: close" (a request refused before its body was read) the JDK's client can
                    // send the next request on the connection the server is closing, and read garbage (seen once, in one of a dozen
                    // full runs). A client tries again on a new connection; the request must get its answer then.
                    if (previousClosed) {
                        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                        resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        statuses.merge(resp.statusCode(), 1, Integer::sum);
                        previousClosed = resp.headers().firstValue("connection").map("close"::equalsIgnoreCase).orElse(false);
                        previous = method + " " + prefix(path, 80) + " -> " + resp.statusCode() + " (after a retry on a new connection)";
                        assertClean(resp.statusCode(), resp.body(), "#" + i + " " + method + " " + path);
                        continue;
                    }
                    throw new AssertionError("#" + i + " " + method + " " + path + " body " + (body == null ? "none" : body.length() + " chars: "
                            + prefix(body, 80)) + ": no answer (" + e.getMessage() + "); the one before: " + previous, e);
                }
                statuses.merge(resp.statusCode(), 1, Integer::sum);
                previousClosed = resp.headers().firstValue("connection").map("close"::equalsIgnoreCase).orElse(false);
                previous = method + " " + prefix(path, 80) + " -> " + resp.statusCode() + " " + resp.headers().map();
                assertClean(resp.statusCode(), resp.body(), "#" + i + " " + method + " " + path);
            }
            for (String raw : rawRequests()) {
                String answer = rawExchange(athena.api.port(), raw);
                if (answer.startsWith("HTTP/")) {
                    int status = Integer.parseInt(answer.substring(9, 12));
                    if (raw.contains("HTTP/9.9")) {
                        // The one 5xx HTTP itself prescribes for bad input: a protocol version the server does not speak.
                        assertThat(status).isEqualTo(505);
                        assertThat(answer).contains("application/json").doesNotContain("Exception");
                        continue;
                    }
                    assertClean(status, answer, "raw " + raw.substring(0, Math.min(60, raw.length())));
                }
            }
            assertThat(athena.call("GET", "/healthz", null).status()).isEqualTo(200);
            assertThat(athena.call("GET", API + "/backuplist", null).status()).isEqualTo(200);
        }
        System.out.println("ApiFuzzTest statuses: " + statuses);
    }

    private static List<String> rawRequests() {
        List<String> raw = new ArrayList<>();
        raw.add("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.add("GARBAGE\r\n\r\n");
        raw.add("POST " + API + "/ondemandbackup HTTP/1.1\r\nHost: x\r\nAuthorization: " + ServiceFixture.KEY
                + "\r\nContent-Length: 99999999999999999999\r\n\r\n{}");
        raw.add("POST " + API + "/ondemandbackup HTTP/1.1\r\nHost: x\r\nAuthorization: " + ServiceFixture.KEY
                + "\r\nContent-Length: -5\r\n\r\n{}");
        raw.add("POST " + API + "/ondemandrestore HTTP/1.1\r\nHost: x\r\nAuthorization: " + ServiceFixture.KEY
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        raw.add("GET " + API + "/backuplist HTTP/1.1\r\nHost: x\r\nAuthorization: " + "k".repeat(100_000) + "\r\n\r\n");
        raw.add("GET " + API + "/backupstatus?timestamp=" + "%".repeat(3) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.add("GET /" + "a/".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.add("GET " + API + "/backuplist HTTP/9.9\r\nHost: x\r\n\r\n");
        return raw;
    }

    private static String rawExchange(int port, String request) throws Exception {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
