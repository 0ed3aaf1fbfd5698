package dev.athena.storage;

import java.io.InputStream;
import java.util.List;

/** Passes every call to another store; decorators override only what they change. */
public abstract class ForwardingStore implements ObjectStore {
    protected final ObjectStore inner;

    protected ForwardingStore(ObjectStore inner) {
        this.inner = inner;
    }

    @Override
    public void put(String key, byte[] data) {
        inner.put(key, data);
    }

    @Override
    public void put(String key, byte[] data, int length) {
        inner.put(key, data, length);
    }

    @Override
    public byte[] get(String key) {
        return inner.get(key);
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return inner.getRange(key, offset, length);
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
    public long size(String key) {
        return inner.size(key);
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

    @Override
    public String toString() {
        return inner.toString();
    }
}
