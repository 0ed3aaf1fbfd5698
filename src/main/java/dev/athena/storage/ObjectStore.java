package dev.athena.storage;

import java.io.InputStream;
import java.util.List;

/**
 * The smallest interface Athena needs from a place that keeps bytes: a local folder or an S3 bucket.
 * Keys are '/'-separated relative paths. Objects are written whole and never modified in place,
 * so every implementation can make a write atomic (temp file + rename, or a single S3 PUT).
 */
public interface ObjectStore {

    /** Writes the object whole; a reader sees either the old object, none, or all of the new one. */
    void put(String key, byte[] data);

    /** Writes {@code data[0, length)} as the object; stores that can write a prefix without copying override it. */
    default void put(String key, byte[] data, int length) {
        put(key, length == data.length ? data : java.util.Arrays.copyOf(data, length));
    }

    /** The whole object; {@link ObjectNotFoundException} when it does not exist. */
    byte[] get(String key);

    /** {@code length} bytes from {@code offset}; fewer only if the object ends first. */
    byte[] getRange(String key, long offset, int length);

    /**
     * The whole object if it has at most {@code max} bytes, else its first {@code max + 1}: a caller
     * learns that an object is too large without reading it whole. (Not a ranged read: some stores
     * cached channels for ranges, and metadata is rewritten in place.)
     */
    default byte[] getAtMost(String key, int max) {
        try (InputStream in = open(key)) {
            return in.readNBytes(max + 1);
        } catch (java.io.IOException e) {
            throw new StorageException("cannot read " + locate(key) + ": " + e.getMessage(), e);
        }
    }

    /** Streams the object; the caller closes the stream. */
    InputStream open(String key);

    boolean exists(String key);

    /** The stored object's length in bytes, as the store reports it; {@link ObjectNotFoundException} when missing. */
    long size(String key);

    /** Every object whose key starts with {@code prefix}, in key order. */
    List<StoredObject> list(String prefix);

    /**
     * The names of the immediate sub-folders of {@code prefix} (which ends with '/') that hold objects
     * directly, sorted. (A folder holding only sub-folders may be missing: s3rver leaves those out.)
     */
    List<String> listFolders(String prefix);

    /** Deletes the object; deleting a missing object is not an error. */
    void delete(String key);

    /** Where a key lives, as a URL a person can follow (a file:// path or the bucket's address). */
    String locate(String key);
}
