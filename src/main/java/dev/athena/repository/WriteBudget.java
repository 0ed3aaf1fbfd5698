package dev.athena.repository;

/**
 * How large the write path's buffers are, from the heap this JVM may use: the pack being filled,
 * the chunk buffers waiting for a worker and the small files in flight. None of them changes the
 * chunks (their bounds are fixed, see {@link Chunker}) or what can read the repository; only how
 * many bytes a process holds at once. Fixed 16 MiB packs, six 4 MiB chunk buffers and 16 MiB of
 * files in flight needed more than a 64 MiB heap before the first file was stored.
 */
record WriteBudget(int packTarget, int chunkBuffers, int inFlightBytes) {
    private static final long MIB = 1024 * 1024;
    /** The most a pack is filled to: the format allows any size, and 16 MiB keeps S3 requests few. */
    static final int MAX_PACK_TARGET = (int) (16 * MIB);

    /** A sixteenth of the heap per pack and for files in flight, three to six chunk buffers. */
    static WriteBudget forHeap(long maxHeap) {
        return new WriteBudget((int) clamp(maxHeap / 16, 4 * MIB, MAX_PACK_TARGET), (int) clamp(maxHeap / (32 * MIB), 3, 6),
                (int) clamp(maxHeap / 16, 2 * MIB, 16 * MIB));
    }

    static WriteBudget current() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }

    /** The most bytes one pack's buffer holds: the target, the blob that crossed it, and its header. */
    long packBytes() {
        return packBytes(packTarget);
    }

    static long packBytes(int packTarget) {
        return (long) packTarget + Chunker.MAX_SIZE + 64 * 1024 + (long) PackWriter.MAX_BLOBS * PackWriter.HEADER_ENTRY;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
