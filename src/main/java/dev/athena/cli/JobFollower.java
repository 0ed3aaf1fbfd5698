package dev.athena.cli;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.client.ServiceException;
import dev.athena.concurrent.ProgressMeter;

/**
 * Follows a job the service runs until its record is no longer Running, showing its progress as
 * the local commands show theirs. A service that stops answering for a moment (a restart, a
 * leader change) is asked again for up to a minute before the command gives up.
 */
final class JobFollower {
    static final long POLL_MILLIS = 1000;
    static final int PATIENCE = 60;

    private JobFollower() {
    }

    static JsonNode follow(Supplier<JsonNode> record) {
        AtomicReference<ProgressMeter.Snapshot> latest = new AtomicReference<>();
        try (ProgressDisplay display = ProgressDisplay.start(latest::get)) {
            int failures = 0;
            while (true) {
                JsonNode r;
                try {
                    r = record.get();
                    failures = 0;
                } catch (ServiceException e) {
                    if (e.status() != 0 && e.status() != 502 && e.status() != 503 || ++failures >= PATIENCE) {
                        throw e;
                    }
                    sleep();
                    continue;
                }
                latest.set(RecordText.snapshot(r));
                if (!"Running".equals(r.path("status").asText())) {
                    return r;
                }
                sleep();
            }
        }
    }

    /** How a finished record ends the command: 0 for a Success; else 1, with one line on stderr saying what failed. */
    static int exitCode(JsonNode record, String what) {
        String status = record.path("status").asText();
        if ("Success".equals(status)) {
            return 0;
        }
        System.err.println("athena: " + what + " " + status + (record.hasNonNull("error") ? ": " + record.get("error").asText() : ""));
        return 1;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted while following the job; it goes on in the service");
        }
    }
}
