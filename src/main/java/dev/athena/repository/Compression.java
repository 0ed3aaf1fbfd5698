package dev.athena.repository;

import com.github.luben.zstd.Zstd;

/** A blob's plaintext is one flag byte (0 stored, 1 zstd) followed by the payload. */
final class Compression {
    static final int STORED = 0;
    static final int ZSTD = 1;

    private Compression() {
    }

    static byte[] pack(byte[] raw, int offset, int length, int level) {
        byte[] out = new byte[1 + (int) Zstd.compressBound(length)];
        long n = Zstd.compressByteArray(out, 1, out.length - 1, raw, offset, length, level);
        // Incompressible data (media, already-compressed dumps) is kept as it is: no gain, faster reads.
        if (n < length) {
            out[0] = ZSTD;
            return java.util.Arrays.copyOf(out, 1 + (int) n);
        }
        byte[] stored = new byte[1 + length];
        stored[0] = STORED;
        System.arraycopy(raw, offset, stored, 1, length);
        return stored;
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
                    long n = Zstd.decompressByteArray(out, 0, rawLength, packed, 1, packed.length - 1);
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
