package dev.athena.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which pack holds each blob: the union of the index files, kept in memory. */
public final class Index {
    /** The serialized form of one index file. */
    public record IndexFile(List<PackRecord> packs) {
    }

    public record PackRecord(String id, List<BlobRecord> blobs) {
    }

    public record BlobRecord(String id, String type, long offset, int length, int rawLength) {
    }

    private final Map<BlobId, BlobLocation> blobs = new ConcurrentHashMap<>();

    public BlobLocation find(BlobId id) {
        return blobs.get(id);
    }

    public boolean contains(BlobId id) {
        return blobs.containsKey(id);
    }

    public int size() {
        return blobs.size();
    }

    public Collection<Map.Entry<BlobId, BlobLocation>> entries() {
        return blobs.entrySet();
    }

    void clear() {
        blobs.clear();
    }

    void add(BlobId pack, List<PackWriter.Entry> entries) {
        for (PackWriter.Entry e : entries) {
            // A blob stored twice (two concurrent backups) may be read from either pack.
            blobs.putIfAbsent(e.id(), new BlobLocation(pack, e.type(), e.offset(), e.length(), e.rawLength()));
        }
    }

    /** The largest blob an index may describe; a larger length is damage or an attack, not data (it would be allocated whole). */
    static final int MAX_BLOB = 256 * 1024 * 1024;

    /**
     * The packs an index file names, each with its blobs, checked before any is used: every id a
     * blob id, every type known, offsets and lengths in range. A {@link CorruptDataException} names
     * the first thing wrong.
     */
    static Map<BlobId, List<PackWriter.Entry>> parse(IndexFile file, String what) {
        if (file == null || file.packs() == null) {
            throw new CorruptDataException(what + " has the wrong shape: no packs");
        }
        Map<BlobId, List<PackWriter.Entry>> out = new HashMap<>();
        for (PackRecord p : file.packs()) {
            try {
                BlobId pack = BlobId.parse(p.id());
                List<PackWriter.Entry> entries = new ArrayList<>();
                for (BlobRecord b : p.blobs()) {
                    if (b.offset() < 0 || b.length() < 0 || b.length() > MAX_BLOB || b.rawLength() < 0 || b.rawLength() > MAX_BLOB) {
                        throw new CorruptDataException(what + ": blob " + b.id() + " has an offset or length out of range");
                    }
                    entries.add(new PackWriter.Entry(BlobId.parse(b.id()), BlobType.valueOf(b.type().toUpperCase(java.util.Locale.ROOT)),
                            b.offset(), b.length(), b.rawLength()));
                }
                out.put(pack, entries);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CorruptDataException(what + " has the wrong shape: " + (e.getMessage() == null ? "a field is missing" : e.getMessage()), e);
            }
        }
        return out;
    }

    /** The packs known to this index, each with the blobs it holds. */
    public Map<BlobId, List<Map.Entry<BlobId, BlobLocation>>> byPack() {
        Map<BlobId, List<Map.Entry<BlobId, BlobLocation>>> out = new HashMap<>();
        for (Map.Entry<BlobId, BlobLocation> e : blobs.entrySet()) {
            out.computeIfAbsent(e.getValue().pack(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    public Set<BlobId> packs() {
        Set<BlobId> packs = new java.util.HashSet<>();
        for (BlobLocation l : blobs.values()) {
            packs.add(l.pack());
        }
        return packs;
    }

    static IndexFile serialize(Map<BlobId, List<PackWriter.Entry>> packs) {
        List<PackRecord> records = new ArrayList<>();
        packs.forEach((pack, entries) -> records.add(new PackRecord(pack.hex(), entries.stream()
                .map(e -> new BlobRecord(e.id().hex(), e.type().name().toLowerCase(), e.offset(), e.length(), e.rawLength()))
                .toList())));
        return new IndexFile(records);
    }
}
