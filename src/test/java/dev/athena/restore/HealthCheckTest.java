package dev.athena.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.athena.testing.HttpStubs;
import dev.athena.testing.VirtualPacer;

/** A real HTTP endpoint; the waiting is on a virtual clock, so five minutes of polling take milliseconds. */
class HealthCheckTest {
    @Test
    void anEndpointThatStaysUnhealthyIsReportedWhenTheTimeoutEndsWithItsLastAnswer() throws Exception {
        try (HttpStubs.Health health = new HttpStubs.Health()) {
            health.status = 503;
            VirtualPacer pacer = new VirtualPacer(Instant.parse("2026-01-01T00:00:00Z"));
            List<String> failing = new HealthCheck(List.of(URI.create(health.url())), Duration.ofMinutes(5), Duration.ofSeconds(2), pacer)
                    .awaitHealthy();
            assertThat(failing).containsExactly(health.url() + ": HTTP 503");
            assertThat(pacer.sleeps.get()).as("polls every 2 s for 5 minutes").isEqualTo(151);
        }
    }

    @Test
    void aHealthyEndpointIsNotWaitedFor() throws Exception {
        try (HttpStubs.Health health = new HttpStubs.Health()) {
            VirtualPacer pacer = new VirtualPacer(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(new HealthCheck(List.of(URI.create(health.url())), Duration.ofMinutes(5), Duration.ofSeconds(2), pacer).awaitHealthy())
                    .isEmpty();
            assertThat(pacer.sleeps.get()).isZero();
        }
    }

    @Test
    void anEndpointNobodyListensAtIsReportedInWordsNotAsABareException() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        URI nobody = URI.create("http://127.0.0.1:" + closed + "/health");
        URI unknown = URI.create("http://no-such-host.invalid/health");
        VirtualPacer pacer = new VirtualPacer(Instant.parse("2026-01-01T00:00:00Z"));
        List<String> failing = new HealthCheck(List.of(nobody, unknown), Duration.ofSeconds(1), Duration.ofSeconds(2), pacer).awaitHealthy();
        assertThat(failing).hasSize(2);
        assertThat(failing.get(0)).contains("connection to 127.0.0.1:" + closed + " refused", "nothing listens there").doesNotEndWith("ConnectException");
        assertThat(failing.get(1)).contains("unknown host 'no-such-host.invalid'");
    }
}
