package dev.athena.repository;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects sealed blobs into one pack: {@code blob* sealed(header) headerLength(u32 LE)}.
 * The header lists each blob as {@code type(1) id(32) length(u32 LE) rawLength(u32 LE)};
 * offsets follow from the lengths. Not thread-safe: the repository hands one writer to one thread at a time.
 */
final class PackWriter {
    static final int HEADER_ENTRY = 1 + BlobId.LENGTH + 4 + 4;
    /**
     * The most blobs one pack holds, whatever their size: every blob costs an entry in memory until
     * the pack is indexed, and 16 MiB of 100-byte files would be over 100,000 of them.
     */
    static final int MAX_BLOBS = 20_000;
    /** The largest pack Athena writes (its buffer's bound); readers accept any size. */
    static final long MAX_BYTES = WriteBudget.packBytes(WriteBudget.MAX_PACK_TARGET);

    /**
     * How many whole packs a third of the heap holds (at least one): the bound for packs held at
     * once, filling, uploading or being checked. The rest of the heap holds the chunk buffers, the
     * compression scratch and the index. A CI run at -Xmx192m with six packs held ran out of heap
     * when the disk was slower than the chunking.
     */
    static int fitInHeap(long maxHeap) {
        return fitInHeap(maxHeap, MAX_BYTES);
    }

    /** {@link #fitInHeap(long)} for packs of at most {@code packBytes}. */
    static int fitInHeap(long maxHeap, long packBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxHeap / 3 / packBytes));
    }

    private final long capacity;

    /** A writer whose buffer grows to {@code capacity} bytes at most before the header: {@link WriteBudget#packBytes()}. */
    PackWriter(long capacity) {
        this(capacity, null);
    }

    /** As above, filling {@code reuse} (a finished pack's buffer, already uploaded) before it grows a buffer of its own. */
    PackWriter(long capacity, byte[] reuse) {
        this.capacity = capacity;
        this.buffer = reuse == null ? new byte[0] : reuse;
    }

    record Entry(BlobId id, BlobType type, long offset, int length, int rawLength) {
    }

    /** The pack is {@code bytes[0, length)}. */
    record Finished(BlobId id, byte[] bytes, int length, List<Entry> entries) {
    }

    private byte[] buffer;
    private int size;
    private final List<Entry> entries = new ArrayList<>();

    void add(BlobId id, BlobType type, byte[] sealed, int length, int rawLength) {
        entries.add(new Entry(id, type, size, length, rawLength));
        write(sealed, 0, length);
    }

    private void write(byte[] data, int offset, int length) {
        if (size + length > buffer.length) {
            // Half as large again from 1 MiB up to the bound: a pack of small files stays small, a full one is copied a few
            // times, and the last step overshoots by a third at most (doubling left 4 MiB of an 8 MiB buffer unused).
            long grown = Math.min(capacity, Math.max(buffer.length + buffer.length / 2L, 1024 * 1024));
            buffer = java.util.Arrays.copyOf(buffer, (int) Math.max(size + length, grown));
        }
        System.arraycopy(data, offset, buffer, size, length);
        size += length;
    }

    int size() {
        return size;
    }

    int count() {
        return entries.size();
    }

    Finished finish(Envelope envelope) {
        ByteBuffer header = ByteBuffer.allocate(entries.size() * HEADER_ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            header.put((byte) e.type().code).put(e.id().toBytes()).putInt(e.length()).putInt(e.rawLength());
        }
        byte[] sealedHeader = envelope.seal(header.array());
        write(sealedHeader, 0, sealedHeader.length);
        write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sealedHeader.length).array(), 0, 4);
        return new Finished(BlobId.of(buffer, 0, size), buffer, size, List.copyOf(entries));
    }
}
