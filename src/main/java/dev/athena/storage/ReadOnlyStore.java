package dev.athena.storage;

/** Refuses every write: commands that only look (list) open the store through it, so they cannot change a backup. */
public final class ReadOnlyStore extends ForwardingStore {
    public ReadOnlyStore(ObjectStore inner) {
        super(inner);
    }

    private StorageException refuse(String key) {
        return new ReadOnlyStorageException("store " + inner + " is open read-only; refused to change " + key, null);
    }

    @Override
    public void put(String key, byte[] data) {
        throw refuse(key);
    }

    @Override
    public void put(String key, byte[] data, int length) {
        throw refuse(key);
    }

    @Override
    public void delete(String key) {
        throw refuse(key);
    }

    @Override
    public String toString() {
        return inner + " (read-only)";
    }
}
