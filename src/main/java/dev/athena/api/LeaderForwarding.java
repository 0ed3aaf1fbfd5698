package dev.athena.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import dev.athena.service.Leadership;
import io.javalin.http.Context;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a request that starts a job to the replica that leads, when this one does not: behind one
 * Kubernetes Service a client reaches either replica, and only the leader runs jobs. The request
 * goes on once, with its key and body as they came; the leader's answer comes back as it is.
 */
final class LeaderForwarding {
    private static final Logger log = LoggerFactory.getLogger(LeaderForwarding.class);
    /** Marks a forwarded request, so that two replicas that each think the other leads cannot pass it back and forth. */
    static final String FORWARDED = "X-Athena-Forwarded-By";
    static final String LEADER = "X-Athena-Leader";
    /** The address of the client a follower passes a request on for, read by the leader only beside {@link #FORWARDED}. */
    static final String CLIENT = "X-Athena-Client-Address";
    /** Asked at each request: the service, and so its leadership, may still be starting when the API is made. */
    private final java.util.function.Supplier<Leadership> leadership;
    /** Made on the first forward: building a client sets up TLS (0.3-0.5 s of a fresh service's start), and one replica never forwards. */
    private HttpClient http;

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
        return http;
    }

    LeaderForwarding(java.util.function.Supplier<Leadership> leadership) {
        this.leadership = leadership;
    }

    /** True when the request was answered by the leader; false when this replica leads and should answer it. */
    boolean forwarded(Context ctx) {
        if (leadership.get().isLeader()) {
            return false;
        }
        Optional<String> leader = leadership.get().leaderUrl();
        if (leader.isEmpty() || ctx.header(FORWARDED) != null) {
            throw new ApiException(503, leader.isEmpty()
                    ? "no replica leads at the moment: an election is under way (a leader that stopped is replaced within a minute); try again in a few seconds"
                    : "leadership is moving between replicas; try again in a few seconds");
        }
        String target = leader.get() + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .header(FORWARDED, "athena").header(CLIENT, ctx.ip())
                .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
        for (String h : new String[] {"Authorization", "Content-Type", "User-Agent", ApiServer.REQUESTED_BY}) {
            if (ctx.header(h) != null) {
                request.header(h, ctx.header(h));
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // A refused connection has no message, only its kind.
            log.warn("cannot forward {} {} to the leader at {}: {}", ctx.method(), ctx.path(), leader.get(),
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw new ApiException(503, "the leader at " + leader.get() + " cannot be reached: it may be failing over; try again in a few seconds");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "stopping; try again in a few seconds");
        }
        ctx.status(answer.statusCode()).header(LEADER, leader.get());
        answer.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
        ctx.result(answer.body());
        return true;
    }
}
