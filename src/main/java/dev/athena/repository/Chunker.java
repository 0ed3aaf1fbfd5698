package dev.athena.repository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Content-defined chunking (FastCDC with normalized chunking): cut points depend on the bytes,
 * not on offsets, so an insertion early in a file shifts only the chunks it touches and the rest
 * deduplicate against the previous backup. See docs/repository-format.md, "Chunking".
 */
public final class Chunker {
    public static final int MIN_SIZE = 256 * 1024;
    public static final int AVG_SIZE = 1024 * 1024;
    public static final int MAX_SIZE = 4 * 1024 * 1024;
    /** Below the average size cuts are made harder, above it easier, pulling sizes toward the average. */
    private static final long MASK_SMALL = -1L << (64 - 22);
    private static final long MASK_LARGE = -1L << (64 - 18);
    static final long[] GEAR = gearTable();

    /** Receives each chunk; the bytes are only valid during the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] buffer, int offset, int length) throws IOException;
    }

    /** Allocated at the first split: a volume of small files never chunks one, and 8 MiB is much of a small heap. */
    private byte[] buffer;

    /** Splits the stream into chunks, in order, and returns the number of bytes read. */
    public long split(InputStream in, Sink sink) throws IOException {
        if (buffer == null) {
            buffer = new byte[2 * MAX_SIZE];
        }
        int start = 0;
        int end = 0;
        long total = 0;
        boolean eof = false;
        while (true) {
            if (!eof && end - start < MAX_SIZE) {
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                while (end < buffer.length) {
                    int n = in.read(buffer, end, buffer.length - end);
                    if (n < 0) {
                        eof = true;
                        break;
                    }
                    end += n;
                    total += n;
                }
            }
            if (end == start) {
                return total;
            }
            int cut = cutPoint(buffer, start, end - start);
            sink.accept(buffer, start, cut);
            start += cut;
        }
    }

    /** The length of the next chunk in {@code data[offset, offset+available)}. */
    public static int cutPoint(byte[] data, int offset, int available) {
        if (available <= MIN_SIZE) {
            return available;
        }
        int limit = Math.min(available, MAX_SIZE);
        int normal = Math.min(limit, AVG_SIZE);
        long h = 0;
        int i = MIN_SIZE;
        for (; i < normal; i++) {
            h = (h << 1) + GEAR[data[offset + i] & 0xff];
            if ((h & MASK_SMALL) == 0) {
                return i + 1;
            }
        }
        for (; i < limit; i++) {
            h = (h << 1) + GEAR[data[offset + i] & 0xff];
            if ((h & MASK_LARGE) == 0) {
                return i + 1;
            }
        }
        return limit;
    }

    /** gear[i] = the first 8 bytes, big-endian, of SHA-256("athena-gear-" + i): fixed, so any tool can rebuild it. */
    private static long[] gearTable() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long[] table = new long[256];
            for (int i = 0; i < 256; i++) {
                byte[] d = md.digest(("athena-gear-" + i).getBytes(StandardCharsets.US_ASCII));
                table[i] = ByteBuffer.wrap(d).getLong();
            }
            return table;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
