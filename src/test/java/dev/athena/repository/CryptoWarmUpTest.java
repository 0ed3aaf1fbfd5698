package dev.athena.repository;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The warm-up's own calls must be valid ones: it swallows errors in its thread (speed is all it
 * is for), so a nonce it repeated or a length GCM refuses would make it silently worthless. Its
 * effect on speed is measured by bench/rto.sh, not here.
 */
class CryptoWarmUpTest {
    @Test
    void everyCallOfTheWarmUpSucceeds() {
        assertDoesNotThrow(CryptoWarmUp::run);
    }
}
