package dev.athena.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.athena.concurrent.Pacer;

/** Time that moves only when a loop sleeps, at once: hours of polling in milliseconds. */
public final class VirtualPacer implements Pacer {
    private final AtomicReference<Instant> now;
    public final AtomicInteger sleeps = new AtomicInteger();

    public VirtualPacer(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public void sleep(Duration pause) {
        sleeps.incrementAndGet();
        now.updateAndGet(t -> t.plus(pause));
    }
}
