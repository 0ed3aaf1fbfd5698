package dev.athena.repository;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;

/** A blob's plaintext is one flag byte (0 stored, 1 zstd) followed by the payload. */
final class Compression {
    static final int STORED = 0;
    static final int ZSTD = 1;

    /** One context per thread: creating a zstd context per blob costs more than compressing a small file. */
    private static final ThreadLocal<ZstdCompressCtx> COMPRESSOR = ThreadLocal.withInitial(ZstdCompressCtx::new);
    private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESSOR = ThreadLocal.withInitial(ZstdDecompressCtx::new);

    private Compression() {
    }

    /**
     * The thread's scratch buffer for {@link #pack} of {@code length} bytes, grown when too small:
     * sized for the largest chunk a thread has packed so far, not for any chunk (4 MiB per thread
     * whether the files are 100 bytes or 100 MiB).
     */
    static byte[] scratch(ThreadLocal<byte[]> holder, int length) {
        byte[] scratch = holder.get();
        int needed = 1 + (int) Zstd.compressBound(length);
        if (scratch == null || scratch.length < needed) {
            scratch = new byte[Math.max(needed, 64 * 1024)];
            holder.set(scratch);
        }
        return scratch;
    }

    /** Writes the blob plaintext (flag + payload) into {@code out} and returns its length. */
    static int pack(byte[] raw, int offset, int length, int level, byte[] out) {
        ZstdCompressCtx ctx = COMPRESSOR.get();
        ctx.setLevel(level);
        long n = ctx.compressByteArray(out, 1, out.length - 1, raw, offset, length);
        // Incompressible data (media, already-compressed dumps) is kept as it is: no gain, faster reads.
        if (n < length) {
            out[0] = ZSTD;
            return 1 + (int) n;
        }
        out[0] = STORED;
        System.arraycopy(raw, offset, out, 1, length);
        return 1 + length;
    }

    static byte[] unpack(byte[] packed, int rawLength) {
        if (packed.length < 1) {
            throw new CorruptDataException("empty blob payload");
        }
        switch (packed[0]) {
            case STORED -> {
                if (packed.length - 1 != rawLength) {
                    throw new CorruptDataException("stored blob has " + (packed.length - 1) + " bytes, index says " + rawLength);
                }
                return java.util.Arrays.copyOfRange(packed, 1, packed.length);
            }
            case ZSTD -> {
                try {
                    byte[] out = new byte[rawLength];
                    long n = DECOMPRESSOR.get().decompressByteArray(out, 0, rawLength, packed, 1, packed.length - 1);
                    if (n != rawLength) {
                        throw new CorruptDataException("blob decompressed to " + n + " bytes, index says " + rawLength);
                    }
                    return out;
                } catch (RuntimeException e) {
                    if (e instanceof CorruptDataException c) {
                        throw c;
                    }
                    throw new CorruptDataException("zstd cannot decompress blob: " + e.getMessage(), e);
                }
            }
            default -> throw new CorruptDataException("unknown compression flag " + packed[0]);
        }
    }
}
