package dev.athena.repository;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of blob ids numbered in the order they were added, in flat arrays: 32 bytes an id plus
 * a slot of the hash table, instead of about 100 for a {@code HashSet<BlobId>}. The sets that
 * grow with the number of files (the index, the blobs a backup refers to) are of this kind, so a
 * heap holds several times as many files. Ids are added, never removed. Not thread-safe.
 */
public final class BlobIdSet {
    static final int BLOCK_BITS = 13;
    static final int BLOCK = 1 << BLOCK_BITS;
    private static final int LONGS = BlobId.LENGTH / Long.BYTES;

    /** Id number n is {@code ids[n >> BLOCK_BITS][(n & (BLOCK - 1)) * 4 ..+4]}: blocks are added, never copied. */
    private final List<long[]> ids = new ArrayList<>();
    /** Id number + 1 per slot (0: empty); a power of two long, at most 3/4 full. */
    private int[] table = new int[1024];
    private int size;

    /** Adds {@code id} unless it is here; returns its number either way. */
    public int add(BlobId id) {
        int n = indexOf(id);
        if (n >= 0) {
            return n;
        }
        n = size;
        if ((n >> BLOCK_BITS) == ids.size()) {
            ids.add(new long[BLOCK * LONGS]);
        }
        long[] block = ids.get(n >> BLOCK_BITS);
        byte[] bytes = id.bytes();
        int at = (n & (BLOCK - 1)) * LONGS;
        for (int i = 0; i < LONGS; i++) {
            block[at + i] = longAt(bytes, i * Long.BYTES);
        }
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
        byte[] bytes = id.bytes();
        long a0 = longAt(bytes, 0);
        long a1 = longAt(bytes, 8);
        long a2 = longAt(bytes, 16);
        long a3 = longAt(bytes, 24);
        int mask = table.length - 1;
        for (int slot = slotOf(a0, mask); ; slot = (slot + 1) & mask) {
            int n = table[slot] - 1;
            if (n < 0) {
                return -1;
            }
            long[] block = ids.get(n >> BLOCK_BITS);
            int at = (n & (BLOCK - 1)) * LONGS;
            if (block[at] == a0 && block[at + 1] == a1 && block[at + 2] == a2 && block[at + 3] == a3) {
                return n;
            }
        }
    }

    /** The id numbered {@code n}. */
    public BlobId get(int n) {
        long[] block = ids.get(n >> BLOCK_BITS);
        int at = (n & (BLOCK - 1)) * LONGS;
        byte[] bytes = new byte[BlobId.LENGTH];
        for (int i = 0; i < LONGS; i++) {
            long v = block[at + i];
            for (int b = 0; b < Long.BYTES; b++) {
                bytes[i * Long.BYTES + b] = (byte) (v >>> (56 - 8 * b));
            }
        }
        return BlobId.wrap(bytes);
    }

    public int size() {
        return size;
    }

    public void clear() {
        ids.clear();
        table = new int[1024];
        size = 0;
    }

    private void insert(int[] into, int n) {
        int mask = into.length - 1;
        int slot = slotOf(ids.get(n >> BLOCK_BITS)[(n & (BLOCK - 1)) * LONGS], mask);
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

    private static long longAt(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (b[offset + i] & 0xff);
        }
        return v;
    }
}
