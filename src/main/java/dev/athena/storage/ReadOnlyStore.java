package dev.athena.storage;

import java.io.InputStream;
import java.util.List;

/** Refuses every write: restores and verifies open the store through it, so they cannot change a backup. */
public final class ReadOnlyStore implements ObjectStore {
    private final ObjectStore inner;

    public ReadOnlyStore(ObjectStore inner) {
        this.inner = inner;
    }

    private StorageException refuse(String key) {
        return new StorageException("store " + inner + " is open read-only; refused to change " + key, null);
    }

    @Override
    public void put(String key, byte[] data) {
        throw refuse(key);
    }

    @Override
    public void delete(String key) {
        throw refuse(key);
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
    public List<StoredObject> list(String prefix) {
        return inner.list(prefix);
    }

    @Override
    public List<String> listFolders(String prefix) {
        return inner.listFolders(prefix);
    }

    @Override
    public String locate(String key) {
        return inner.locate(key);
    }

    @Override
    public String toString() {
        return inner + " (read-only)";
    }
}
