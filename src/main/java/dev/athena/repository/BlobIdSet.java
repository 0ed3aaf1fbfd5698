package dev.athena.repository;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A set of blob ids numbered in the order they were added, as fixed-width records in a
 * {@link RecordSpace} (on the heap, spilled to a mapped file when large) and a hash table of
 * numbers: 32 bytes an id plus a slot, instead of about 100 for a {@code HashSet<BlobId>}, and
 * only the slots on the heap once it spills. The sets that grow with the number of files (the
 * index, the blobs a prune keeps) are of this kind. A record may carry more than the id: its
 * owner reads and writes the bytes after it ({@link #record}, {@link #at}). Ids are added, never
 * removed. Not thread-safe for writers; readers may share it while nobody adds.
 */
public final class BlobIdSet {
    private static final int ID = BlobId.LENGTH;

    private final RecordSpace records;
    /** Id number + 1 per slot (0: empty); a power of two long, at most 3/4 full. */
    private int[] table = new int[1024];
    private int size;

    /** A set of bare ids, spilled to the system temp folder when large. */
    public BlobIdSet() {
        this(ID, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Ids spilled to {@code spillFolder} when large (null: never). */
    public BlobIdSet(Path spillFolder) {
        this(ID, spillFolder);
    }

    /** Records of {@code width} bytes (a power of two of at least 32), each starting with its id. */
    BlobIdSet(int width, Path spillFolder) {
        this(new RecordSpace(width, spillFolder));
    }

    BlobIdSet(RecordSpace records) {
        this.records = records;
    }

    /** Adds {@code id} unless it is here; returns its number either way. */
    public int add(BlobId id) {
        int n = indexOf(id);
        if (n >= 0) {
            return n;
        }
        n = size;
        records.ensure(n);
        record(n).put(at(n), id.bytes(), 0, ID);
        size++;
        if (size * 4L > table.length * 3L) {
            int[] grown = new int[table.length * 2];
            for (int e = 0; e < size; e++) {
                insert(grown, e);
            }
            table = grown;
        } else {
            insert(table, n);
        }
        return n;
    }

    public boolean contains(BlobId id) {
        return indexOf(id) >= 0;
    }

    /** The number of {@code id}, or -1 when it is not here. */
    public int indexOf(BlobId id) {
        ByteBuffer wanted = ByteBuffer.wrap(id.bytes());
        long a0 = wanted.getLong(0);
        long a1 = wanted.getLong(8);
        long a2 = wanted.getLong(16);
        long a3 = wanted.getLong(24);
        int mask = table.length - 1;
        for (int slot = slotOf(a0, mask); ; slot = (slot + 1) & mask) {
            int n = table[slot] - 1;
            if (n < 0) {
                return -1;
            }
            ByteBuffer r = record(n);
            int at = at(n);
            if (r.getLong(at) == a0 && r.getLong(at + 8) == a1 && r.getLong(at + 16) == a2 && r.getLong(at + 24) == a3) {
                return n;
            }
        }
    }

    /** The id numbered {@code n}. */
    public BlobId get(int n) {
        byte[] bytes = new byte[ID];
        record(n).get(at(n), bytes, 0, ID);
        return BlobId.wrap(bytes);
    }

    /** The buffer that holds record {@code n}; its id starts at {@link #at}, its owner's bytes follow. */
    ByteBuffer record(int n) {
        return records.segment(n);
    }

    /** Where record {@code n} starts in {@link #record}. */
    int at(int n) {
        return records.position(n);
    }

    /** True once the records live in a spill file instead of the heap. */
    boolean spilled() {
        return records.spilled();
    }

    public int size() {
        return size;
    }

    public void clear() {
        records.clear();
        table = new int[1024];
        size = 0;
    }

    private void insert(int[] into, int n) {
        int mask = into.length - 1;
        int slot = slotOf(record(n).getLong(at(n)), mask);
        while (into[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        into[slot] = n + 1;
    }

    /** Ids are SHA-256 hashes, uniform already; the mixing keeps ids planted in one run of slots from making it long. */
    private static int slotOf(long first, int mask) {
        long h = first * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
