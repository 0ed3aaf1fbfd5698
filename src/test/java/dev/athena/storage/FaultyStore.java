package dev.athena.storage;

import java.util.concurrent.atomic.AtomicInteger;

/** Fault injection for tests: ranged reads fail once {@code healthyReads} have been served. */
public final class FaultyStore extends ForwardingStore {
    private final int healthyReads;
    private final AtomicInteger reads = new AtomicInteger();

    public FaultyStore(ObjectStore inner, int healthyReads) {
        super(inner);
        this.healthyReads = healthyReads;
    }

    /** Ranged reads asked for so far, served or failed. */
    public int reads() {
        return reads.get();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (reads.incrementAndGet() > healthyReads) {
            throw new StorageException("injected fault reading " + key, null);
        }
        return inner.getRange(key, offset, length);
    }
}
