package dev.athena.repository;

import java.io.ByteArrayOutputStream;
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

    record Entry(BlobId id, BlobType type, long offset, int length, int rawLength) {
    }

    record Finished(BlobId id, byte[] bytes, List<Entry> entries) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    private final List<Entry> entries = new ArrayList<>();

    void add(BlobId id, BlobType type, byte[] sealed, int rawLength) {
        entries.add(new Entry(id, type, out.size(), sealed.length, rawLength));
        out.writeBytes(sealed);
    }

    int size() {
        return out.size();
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
        out.writeBytes(sealedHeader);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sealedHeader.length).array());
        byte[] bytes = out.toByteArray();
        return new Finished(BlobId.of(bytes), bytes, List.copyOf(entries));
    }
}
