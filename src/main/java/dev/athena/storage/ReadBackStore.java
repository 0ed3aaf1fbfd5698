package dev.athena.storage;

import java.util.Arrays;

/**
 * Proves every write readable before it counts as done: a small object is read back whole and
 * compared byte for byte; a large one (a pack) must have the stored length and end in the bytes
 * written. A store that answered 200 but kept something else (s3rver kept the SDK's
 * {@code aws-chunked} framing as the object's bytes; a proxy that cut the body short) fails the
 * write with a message naming the store and the key, so a backup on such a store ends
 * {@code Failed} instead of {@code Success} with nothing readable.
 */
public final class ReadBackStore extends ForwardingStore {
    /** Objects up to this size (configs, manifests, records, locks, most indexes) are compared whole. */
    static final int COMPARE_WHOLE = 256 * 1024;
    /** Of a larger object, this many bytes at its end are compared. */
    static final int COMPARE_TAIL = 4096;

    public ReadBackStore(ObjectStore inner) {
        super(inner);
    }

    @Override
    public void put(String key, byte[] data) {
        put(key, data, data.length);
    }

    @Override
    public void put(String key, byte[] data, int length) {
        inner.put(key, data, length);
        check(key, data, length);
    }

    private void check(String key, byte[] data, int length) {
        if (length <= COMPARE_WHOLE) {
            byte[] stored = readBack(key);
            if (stored == null) {
                throw altered(key, length, -1, null);
            }
            if (!Arrays.equals(stored, 0, stored.length, data, 0, length)) {
                throw altered(key, length, stored.length, stored.length == length ? "its bytes differ" : null);
            }
            return;
        }
        long size;
        try {
            size = inner.size(key);
        } catch (ObjectNotFoundException e) {
            throw altered(key, length, -1, null);
        }
        if (size != length) {
            throw altered(key, length, size, null);
        }
        byte[] tail = inner.getRange(key, length - COMPARE_TAIL, COMPARE_TAIL);
        if (!Arrays.equals(tail, 0, tail.length, data, length - COMPARE_TAIL, length)) {
            throw altered(key, length, size, "its last " + COMPARE_TAIL + " bytes differ");
        }
    }

    private byte[] readBack(String key) {
        try {
            return inner.get(key);
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    private StorageException altered(String key, int written, long stored, String how) {
        String what = stored < 0 ? "it is not there when read back"
                : how != null ? how
                : "it reads back as " + stored + " bytes";
        return new StorageException("the store did not keep what was written to " + inner.locate(key) + " (" + written + " bytes; "
                + what + "): a store that alters objects cannot hold backups; if it is S3-compatible, check that it supports"
                + " plain PutObject (see AWS_S3_ENDPOINT in README.md)", null);
    }
}
