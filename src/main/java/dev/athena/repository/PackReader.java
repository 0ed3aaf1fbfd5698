package dev.athena.repository;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import dev.athena.storage.ObjectStore;

/** Reads a whole pack back: its header, and each blob checked against its content address. */
final class PackReader {
    private PackReader() {
    }

    /** The blobs a pack's own header lists; {@link CorruptDataException} when the header is damaged. */
    static List<PackWriter.Entry> header(byte[] pack, Envelope envelope) {
        if (pack.length < 4) {
            throw new CorruptDataException("pack is " + pack.length + " bytes, too short for a header");
        }
        int headerLength = ByteBuffer.wrap(pack, pack.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (headerLength < 0 || headerLength > pack.length - 4) {
            throw new CorruptDataException("pack header length " + headerLength + " is out of range");
        }
        byte[] sealed = java.util.Arrays.copyOfRange(pack, pack.length - 4 - headerLength, pack.length - 4);
        return entries(sealed, pack.length - 4 - headerLength, envelope);
    }

    /**
     * The blobs a stored pack's header lists, read with two ranged reads (its last 4 bytes, then the
     * header), not the whole pack: how an index is rebuilt from the packs.
     */
    static List<PackWriter.Entry> header(ObjectStore store, String key, long size, Envelope envelope) {
        if (size < 4) {
            throw new CorruptDataException("pack is " + size + " bytes, too short for a header");
        }
        byte[] tail = store.getRange(key, size - 4, 4);
        if (tail.length != 4) {
            throw new CorruptDataException("pack is shorter than listed");
        }
        int headerLength = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (headerLength < 0 || headerLength > size - 4 || headerLength > Index.MAX_BLOB) {
            throw new CorruptDataException("pack header length " + headerLength + " is out of range");
        }
        byte[] sealed = store.getRange(key, size - 4 - headerLength, headerLength);
        return entries(sealed, size - 4 - headerLength, envelope);
    }

    private static List<PackWriter.Entry> entries(byte[] sealed, long blobBytes, Envelope envelope) {
        byte[] plain = envelope.open(sealed);
        if (plain.length % PackWriter.HEADER_ENTRY != 0) {
            throw new CorruptDataException("pack header has a partial entry");
        }
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        List<PackWriter.Entry> entries = new ArrayList<>();
        long offset = 0;
        byte[] id = new byte[BlobId.LENGTH];
        while (b.hasRemaining()) {
            BlobType type = BlobType.of(b.get());
            b.get(id);
            int length = b.getInt();
            int rawLength = b.getInt();
            if (length < 0 || rawLength < 0 || rawLength > Index.MAX_BLOB) {
                throw new CorruptDataException("pack header lists a blob length out of range");
            }
            entries.add(new PackWriter.Entry(BlobId.fromBytes(id), type, offset, length, rawLength));
            offset += length;
        }
        if (offset != blobBytes) {
            throw new CorruptDataException("pack header describes " + offset + " bytes of blobs, the pack holds " + blobBytes);
        }
        return entries;
    }

    /** Opens one sealed blob and checks that its plaintext hashes to its id. */
    static byte[] blob(byte[] sealed, BlobId id, int rawLength, Envelope envelope) {
        byte[] plain = Compression.unpack(envelope.open(sealed), rawLength);
        if (!BlobId.of(plain).equals(id)) {
            throw new CorruptDataException("blob " + id.shortHex() + " does not match its hash");
        }
        return plain;
    }
}
