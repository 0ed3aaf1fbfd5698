package dev.athena.repository;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

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
            entries.add(new PackWriter.Entry(BlobId.fromBytes(id), type, offset, length, rawLength));
            offset += length;
        }
        if (offset != pack.length - 4 - headerLength) {
            throw new CorruptDataException("pack header describes " + offset + " bytes of blobs, the pack holds " + (pack.length - 4 - headerLength));
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
