package dev.athena.component.postgres;

import java.io.IOException;
import java.io.InputStream;

import dev.athena.repository.Chunker;

/**
 * Cuts a tar stream (a base backup) into pieces that line up with PostgreSQL's pages: each entry's
 * 512-byte header alone, then its content in blocks of {@code blockSize} from the entry's start.
 * An update touches scattered 8 KiB pages of a relation; content-defined chunks of about 1 MiB
 * would each hold one of them and be stored again almost whole, while a block of 64 KiB that no
 * page of changed is the same blob as last time. A grown or new file moves nothing after it, as
 * every entry starts a block of its own. The end-of-archive blocks and anything after them are cut
 * in blocks too.
 */
final class TarSplitter {
    static final int HEADER = 512;
    private final int blockSize;

    TarSplitter(int blockSize) {
        if (blockSize % HEADER != 0) {
            throw new IllegalArgumentException("blocks must be a multiple of 512 bytes");
        }
        this.blockSize = blockSize;
    }

    long split(InputStream in, Chunker.Sink sink) throws IOException {
        byte[] header = new byte[HEADER];
        byte[] block = new byte[blockSize];
        long total = 0;
        while (true) {
            int n = in.readNBytes(header, 0, HEADER);
            if (n == 0) {
                return total;
            }
            total += n;
            sink.accept(header, 0, n);
            if (n < HEADER) {
                return total;
            }
            long size = zero(header) ? -1 : size(header);
            if (size < 0) {
                // The end of the archive: whatever follows (zero blocks, padding) in blocks.
                for (int r; (r = in.readNBytes(block, 0, blockSize)) > 0; ) {
                    total += r;
                    sink.accept(block, 0, r);
                }
                return total;
            }
            long remaining = (size + HEADER - 1) / HEADER * HEADER;
            while (remaining > 0) {
                int r = in.readNBytes(block, 0, (int) Math.min(blockSize, remaining));
                if (r == 0) {
                    return total;
                }
                total += r;
                remaining -= r;
                sink.accept(block, 0, r);
            }
        }
    }

    private static boolean zero(byte[] header) {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The entry's content size: octal digits, or base-256 (high bit set) for 8 GiB and more, as PostgreSQL writes it. */
    static long size(byte[] header) {
        if ((header[124] & 0x80) != 0) {
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        for (int i = 124; i < 136; i++) {
            byte b = header[i];
            if (b >= '0' && b <= '7') {
                v = v * 8 + (b - '0');
            } else if (b != ' ' && b != 0) {
                throw new IllegalArgumentException("not a tar header: its size field holds " + (char) b);
            }
        }
        return v;
    }
}
