package dev.athena.repository;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbered records of one fixed width, for the sets that grow with the number of files (the
 * index, the blobs prune keeps). The first few MiB are on the heap; beyond that the records live in
 * a spill file mapped into memory, so the heap a job needs does not grow with the number of files
 * (5,000,000 blobs of the index take 320 MB, more than a 256 MiB heap): the kernel pages the file
 * like a cache, and its pages count as reclaimable page cache, not as heap. The file is deleted as
 * soon as it is open, so nothing is left behind after a crash; its space returns when the mappings
 * are collected. Without a writable spill folder the records stay on the heap, with one warning.
 * Absolute get/put only: readers may share it, one writer adds.
 */
final class RecordSpace {
    private static final Logger log = LoggerFactory.getLogger(RecordSpace.class);
    static final int SEGMENT_BYTES = 1 << 20;
    /** Records kept on the heap before spilling: a thirty-second of the heap (8 MiB of 256), at least one segment. */
    static final long HEAP_BYTES = Math.max(SEGMENT_BYTES, Runtime.getRuntime().maxMemory() / 32);

    /** Written into each new part of the spill file; shared, never written to, small enough not to burden a small heap. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();
    private final int widthBits;
    private final int perSegmentBits;
    private final int heapSegments;
    private final Path spillFolder;
    private final List<ByteBuffer> segments = new ArrayList<>();
    private FileChannel spill;
    private boolean spillRefused;

    /** Records of {@code width} bytes (a power of two, at most a segment); spilled into {@code spillFolder}. */
    RecordSpace(int width, Path spillFolder) {
        this(width, spillFolder, HEAP_BYTES);
    }

    RecordSpace(int width, Path spillFolder, long heapBytes) {
        if (Integer.bitCount(width) != 1 || width > SEGMENT_BYTES) {
            throw new IllegalArgumentException("record width must be a power of two up to a segment, got " + width);
        }
        this.widthBits = Integer.numberOfTrailingZeros(width);
        this.perSegmentBits = Integer.numberOfTrailingZeros(SEGMENT_BYTES) - widthBits;
        this.heapSegments = (int) Math.max(1, heapBytes / SEGMENT_BYTES);
        this.spillFolder = spillFolder;
    }

    /** The segment that holds record {@code n}, which {@link #ensure} made room for. */
    ByteBuffer segment(int n) {
        return segments.get(n >>> perSegmentBits);
    }

    /** Where record {@code n} starts in its segment. */
    int position(int n) {
        return (n & ((1 << perSegmentBits) - 1)) << widthBits;
    }

    /** Makes room for record {@code n}. */
    void ensure(int n) {
        while ((n >>> perSegmentBits) >= segments.size()) {
            segments.add(newSegment());
        }
    }

    /** True once records live in a spill file. */
    boolean spilled() {
        return spill != null;
    }

    /** Drops every record; the spill file's space returns when its mappings are collected. */
    void clear() {
        segments.clear();
        closeSpill();
    }

    private ByteBuffer newSegment() {
        int spilledBefore = segments.size() - heapSegments;
        if (spilledBefore < 0 || spillRefused || spillFolder == null) {
            return ByteBuffer.allocate(SEGMENT_BYTES);
        }
        try {
            if (spill == null) {
                Path file = Files.createTempFile(Files.createDirectories(spillFolder), "athena-index-", ".spill");
                spill = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Files.delete(file);
            }
            long at = (long) spilledBefore * SEGMENT_BYTES;
            // Written before it is mapped: a full disk is then an IOException here, not a fault inside a mapped write.
            for (long written = 0; written < SEGMENT_BYTES; ) {
                ByteBuffer zeros = ZEROS.duplicate();
                while (zeros.hasRemaining()) {
                    written += spill.write(zeros, at + written);
                }
            }
            return spill.map(FileChannel.MapMode.READ_WRITE, at, SEGMENT_BYTES);
        } catch (IOException | UnsupportedOperationException e) {
            spillRefused = true;
            closeSpill();
            log.warn("cannot spill the index to {} ({}); it stays on the heap, which then grows with the number of files:"
                    + " set ATHENA_SCRATCH_DIR to a writable folder", spillFolder, e.toString());
            return ByteBuffer.allocate(SEGMENT_BYTES);
        }
    }

    private void closeSpill() {
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                log.debug("closing the index spill file: {}", e.toString());
            }
            spill = null;
        }
    }
}
