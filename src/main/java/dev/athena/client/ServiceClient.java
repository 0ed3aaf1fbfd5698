package dev.athena.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A running Athena service, reached over its HTTP API (docs/api.md) with one API key: what the
 * CLI's {@code backup create}, {@code restore get} and the like ask it. Answers are the API's JSON
 * as it is, so a newer service's extra fields pass through to {@code -o json} untouched. Every
 * failure is a {@link ServiceException} whose message says what to do.
 */
public final class ServiceClient {
    private static final String BASE = "/athena/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI url;
    private final String apiKey;
    private final HttpClient http;

    public ServiceClient(String url, String apiKey) {
        this.url = parse(url);
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static URI parse(String url) {
        try {
            URI u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ServiceException("the service URL '" + url + "' is not valid (" + e.getMessage() + "): give --url or ATHENA_URL like"
                    + " http://athena.backup.svc:8080");
        }
    }

    public URI url() {
        return url;
    }

    /** Starts a backup; its timestamp. */
    public String startBackup(boolean onlyConfig) {
        ObjectNode body = JSON.createObjectNode();
        if (onlyConfig) {
            body.put("onlyConfig", true);
        }
        String message = send("POST", BASE + "/ondemandbackup", body).path("message").asText();
        return message.substring(message.lastIndexOf(' ') + 1);
    }

    public JsonNode backup(String timestamp) {
        return send("GET", BASE + "/backupstatus?timestamp=" + query(timestamp), null);
    }

    /** Every backup of the service's namespace, newest first. */
    public List<JsonNode> backups() {
        return list(send("GET", BASE + "/backuplist", null));
    }

    /** Starts a restore with {@code request}, the body of POST /ondemandrestore; returns the service's answer. */
    public JsonNode startRestore(ObjectNode request) {
        return send("POST", BASE + "/ondemandrestore", request);
    }

    /** The newest restore from backup {@code timestamp}. */
    public JsonNode latestRestore(String timestamp) {
        return send("GET", BASE + "/restorestatus?timestamp=" + query(timestamp), null);
    }

    /** One restore from backup {@code timestamp}, by its id. */
    public JsonNode restore(String timestamp, String restoreId) {
        return send("GET", BASE + "/restorestatus?timestamp=" + query(timestamp) + "&restoreId=" + query(restoreId), null);
    }

    /** Every restore made into the service's namespace, newest first. */
    public List<JsonNode> restores() {
        return list(send("GET", BASE + "/restorelist", null));
    }

    /** Starts a restore drill of {@code timestamp} (null: the newest good backup); returns its id. */
    public String startDrill(String timestamp) {
        ObjectNode body = object();
        if (timestamp != null) {
            body.put("timestamp", timestamp);
        }
        String message = send("POST", BASE + "/ondemanddrill", body).path("message").asText();
        return message.substring(message.lastIndexOf(' ') + 1);
    }

    /** One drill, or the newest when {@code drillId} is null. */
    public JsonNode drill(String drillId) {
        return send("GET", BASE + "/drillstatus" + (drillId == null ? "" : "?drillId=" + query(drillId)), null);
    }

    /** Every drill, newest first. */
    public List<JsonNode> drills() {
        return list(send("GET", BASE + "/drilllist", null));
    }

    /** The public key that signs the service's reports (GET /signingkey). */
    public JsonNode signingKey() {
        return send("GET", BASE + "/signingkey", null);
    }

    /** What the retention in force keeps and why (GET /retentionplan). */
    public JsonNode retentionPlan() {
        return send("GET", BASE + "/retentionplan", null);
    }

    /** A restore's disaster-recovery report, as {@code html} or {@code json}. */
    public String report(String timestamp, String restoreId, String format) {
        String path = BASE + "/restorereport?timestamp=" + query(timestamp) + (restoreId == null ? "" : "&restoreId=" + query(restoreId))
                + "&format=" + query(format);
        return exchange("GET", path, null);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private JsonNode send(String method, String path, JsonNode body) {
        String text = exchange(method, path, body);
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new ServiceException(url + " answered " + method + " " + path + " with something that is not JSON: is --url (ATHENA_URL)"
                    + " Athena's API?");
        }
    }

    /** Who runs this CLI, for the records of the jobs it starts: user@host. */
    private static final String REQUESTER = System.getProperty("user.name", "unknown") + "@" + hostname();

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    private String exchange(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url.resolve(url.getPath() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("User-Agent", "athena-cli")
                .header("X-Athena-Requested-By", REQUESTER)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            b.header("Authorization", apiKey);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new ServiceException("cannot reach Athena at " + url + " (" + describe(e) + "): is 'athena serve' running there? Give its"
                    + " address with --url or ATHENA_URL (e.g. after kubectl port-forward svc/athena 8080)");
        } catch (HttpTimeoutException e) {
            throw new ServiceException("Athena at " + url + " did not answer " + method + " " + path + " within 60 s");
        } catch (IOException e) {
            throw new ServiceException("cannot talk to Athena at " + url + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted while waiting for Athena at " + url);
        }
        if (r.statusCode() / 100 == 2) {
            return r.body();
        }
        String message = messageOf(r.body());
        if (r.statusCode() == 401) {
            throw new ServiceException("Athena at " + url + " refused the API key (" + message + "): give one of its ATHENA_API_KEYS with"
                    + " --api-key or ATHENA_API_KEY", 401);
        }
        throw new ServiceException(message, r.statusCode());
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "connection refused";
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The API's one-line message ({"code":..,"message":..}), or the start of whatever else came back. */
    private static String messageOf(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("message")) {
                return n.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: said below
        }
        String text = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return "an answer that is not Athena's: " + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
}
