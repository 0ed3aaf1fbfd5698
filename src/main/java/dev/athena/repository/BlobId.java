package dev.athena.repository;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A content address: the SHA-256 of a blob's plaintext. */
public final class BlobId implements Comparable<BlobId> {
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    });

    private final byte[] bytes;
    private final int hash;

    private BlobId(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a blob id has 32 bytes, got " + bytes.length);
        }
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    public static BlobId of(byte[] data) {
        return of(data, 0, data.length);
    }

    public static BlobId of(byte[] data, int offset, int length) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(data, offset, length);
        return new BlobId(md.digest());
    }

    /** The id of a stream's content and how many bytes it held: {@link #of(InputStream)}. */
    public record Streamed(BlobId id, long length) {
    }

    /** Hashes everything {@code in} gives, read to its end a megabyte at a time (a pack checked without holding it whole). */
    public static Streamed of(java.io.InputStream in) throws java.io.IOException {
        MessageDigest md = SHA256.get();
        md.reset();
        byte[] buffer = STREAM_BUFFER.get();
        long length = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
            length += n;
        }
        return new Streamed(new BlobId(md.digest()), length);
    }

    private static final ThreadLocal<byte[]> STREAM_BUFFER = ThreadLocal.withInitial(() -> new byte[1 << 20]);

    public static BlobId fromBytes(byte[] bytes) {
        return new BlobId(bytes.clone());
    }

    /** An id over {@code bytes} themselves, which the caller gives up. */
    static BlobId wrap(byte[] bytes) {
        return new BlobId(bytes);
    }

    public static BlobId parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("not a blob id: " + hex);
        }
        return new BlobId(HEX.parseHex(hex));
    }

    /** The bytes themselves, not a copy: for readers in this package that only read them. */
    byte[] bytes() {
        return bytes;
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    public String shortHex() {
        return hex().substring(0, 12);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
