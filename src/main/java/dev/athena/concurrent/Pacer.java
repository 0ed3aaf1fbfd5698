package dev.athena.concurrent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Time as a polling loop sees it: what time it is, and a pause. Loops that wait for something
 * (a health endpoint, an RDS snapshot) take one, so a test can run hours of waiting in no time.
 */
public interface Pacer {
    Instant now();

    void sleep(Duration pause) throws InterruptedException;

    /** The system's clock and real sleeps. */
    static Pacer system() {
        return new Pacer() {
            @Override
            public Instant now() {
                return Clock.systemUTC().instant();
            }

            @Override
            public void sleep(Duration pause) throws InterruptedException {
                Thread.sleep(pause.toMillis());
            }
        };
    }
}
