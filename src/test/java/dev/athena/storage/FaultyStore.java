package dev.athena.storage;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Fault injection for tests: ranged reads fail once {@code healthyReads} have been served. */
public final class FaultyStore implements ObjectStore {
    private final ObjectStore inner;
    private final int healthyReads;
    private final AtomicInteger reads = new AtomicInteger();

    public FaultyStore(ObjectStore inner, int healthyReads) {
        this.inner = inner;
        this.healthyReads = healthyReads;
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (reads.incrementAndGet() > healthyReads) {
            throw new StorageException("injected fault reading " + key, null);
        }
        return inner.getRange(key, offset, length);
    }

    @Override
    public void put(String key, byte[] data) {
        inner.put(key, data);
    }

    @Override
    public byte[] get(String key) {
        return inner.get(key);
    }

    @Override
    public InputStream open(String key) {
        return inner.open(key);
    }

    @Override
    public boolean exists(String key) {
        return inner.exists(key);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public List<String> listFolders(String prefix) {
        return inner.listFolders(prefix);
    }

    @Override
    public void delete(String key) {
        inner.delete(key);
    }

    @Override
    public String locate(String key) {
        return inner.locate(key);
    }
}
