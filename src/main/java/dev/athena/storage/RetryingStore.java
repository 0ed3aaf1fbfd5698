package dev.athena.storage;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries transient failures (throttling, 5xx, timeouts) with exponential backoff and jitter.
 * Every write is a whole-object PUT, so repeating one is always safe.
 */
public final class RetryingStore extends ForwardingStore {
    private static final Logger log = LoggerFactory.getLogger(RetryingStore.class);
    private final int attempts;
    private final Duration firstDelay;

    public RetryingStore(ObjectStore inner, int attempts, Duration firstDelay) {
        super(inner);
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attempts = attempts;
        this.firstDelay = firstDelay;
    }

    public static RetryingStore standard(ObjectStore inner) {
        return new RetryingStore(inner, 6, Duration.ofMillis(200));
    }

    private <T> T retry(String what, Supplier<T> call) {
        long delay = firstDelay.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StorageException e) {
                if (!e.isTransient() || attempt >= attempts) {
                    throw e;
                }
                long sleep = delay / 2 + (long) (Math.random() * delay);
                log.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt, attempts, sleep, e.getMessage());
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay = Math.min(delay * 2, 30_000);
            }
        }
    }

    @Override
    public void put(String key, byte[] data) {
        retry("write " + key, () -> {
            inner.put(key, data);
            return null;
        });
    }

    @Override
    public void put(String key, byte[] data, int length) {
        retry("write " + key, () -> {
            inner.put(key, data, length);
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        return retry("read " + key, () -> inner.get(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return retry("read " + key, () -> inner.getRange(key, offset, length));
    }

    @Override
    public byte[] getAtMost(String key, int max) {
        return retry("read " + key, () -> inner.getAtMost(key, max));
    }

    @Override
    public InputStream open(String key) {
        return retry("open " + key, () -> inner.open(key));
    }

    @Override
    public boolean exists(String key) {
        return retry("check " + key, () -> inner.exists(key));
    }

    @Override
    public long size(String key) {
        return retry("check " + key, () -> inner.size(key));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return retry("list " + prefix, () -> inner.list(prefix));
    }

    @Override
    public List<String> listFolders(String prefix) {
        return retry("list " + prefix, () -> inner.listFolders(prefix));
    }

    @Override
    public void delete(String key) {
        retry("delete " + key, () -> {
            inner.delete(key);
            return null;
        });
    }

}
