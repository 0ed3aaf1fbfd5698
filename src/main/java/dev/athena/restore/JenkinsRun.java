package dev.athena.restore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * The seed's Jenkins test run, through Jenkins' REST API: queue a build of JENKINS_JOB, follow the
 * queue item to its build, and wait for the build's result.
 */
public final class JenkinsRun {
    /** A finished build: its URL and Jenkins' result (SUCCESS, UNSTABLE, FAILURE, ABORTED). */
    public record Build(String url, String result) {
        public boolean passed() {
            return "SUCCESS".equals(result);
        }
    }

    /** Jenkins' own answers: nothing of Athena's format or API. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JENKINS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final JenkinsSettings jenkins;
    private final Duration poll;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public JenkinsRun(JenkinsSettings jenkins, Duration poll) {
        this.jenkins = jenkins;
        this.poll = poll;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (jenkins.user() != null && jenkins.token() != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (jenkins.user() + ":" + jenkins.token()).getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    private static String base(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s : s + "/";
    }

    public Build run(String restoreId) throws IOException, InterruptedException {
        URI trigger = URI.create(base(jenkins.url()) + "job/" + jenkins.job() + "/buildWithParameters?ATHENA_RESTORE=" + restoreId);
        HttpResponse<String> queued = send(request(trigger).POST(HttpRequest.BodyPublishers.noBody()).build(), trigger);
        if (queued.statusCode() / 100 != 2) {
            throw new IOException("Jenkins refused to start job " + jenkins.job() + ": HTTP " + queued.statusCode());
        }
        String queueItem = queued.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("Jenkins did not say where the queued build is (no Location header)"));
        long deadline = System.nanoTime() + jenkins.timeout().toNanos();
        String buildUrl = null;
        while (buildUrl == null) {
            JsonNode item = get(URI.create(base(URI.create(queueItem)) + "api/json"));
            if (item.path("cancelled").asBoolean(false)) {
                throw new IOException("the Jenkins build of " + jenkins.job() + " was cancelled in the queue");
            }
            JsonNode url = item.path("executable").path("url");
            if (url.isTextual()) {
                buildUrl = url.asText();
            } else {
                waitOrGiveUp(deadline);
            }
        }
        while (true) {
            JsonNode build = get(URI.create(base(URI.create(buildUrl)) + "api/json"));
            if (!build.path("building").asBoolean(true) && build.path("result").isTextual()) {
                return new Build(buildUrl, build.path("result").asText());
            }
            waitOrGiveUp(deadline);
        }
    }

    private void waitOrGiveUp(long deadline) throws IOException, InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new IOException("the Jenkins build of " + jenkins.job() + " did not finish within " + jenkins.timeout().toMinutes() + " minutes");
        }
        Thread.sleep(poll.toMillis());
    }

    /** The call, with a failure to reach Jenkins said in words (the HTTP client's ConnectException has none). */
    private HttpResponse<String> send(HttpRequest request, URI uri) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("Jenkins (JENKINS_URL): " + NetworkFailure.describe(e, uri), e);
        }
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(uri).GET().build(), uri);
        if (r.statusCode() / 100 != 2) {
            throw new IOException("Jenkins answered HTTP " + r.statusCode() + " for " + uri);
        }
        return JENKINS_JSON.readTree(r.body());
    }
}
