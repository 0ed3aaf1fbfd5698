package dev.athena.repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pack holds each blob: the union of the index files, kept in memory. It grows with the
 * number of blobs (one per small file), so it is stored in flat arrays instead of a map of
 * objects: about 60 bytes a blob against about 150 for a {@code ConcurrentHashMap<BlobId,
 * BlobLocation>}, which left a 200,000-file backup without room at -Xmx64m. The ids are a
 * {@link BlobIdSet}; each one's location is in blocks of arrays under the same number.
 * Thread-safe: many readers, one writer at a time.
 */
public final class Index {
    /** The serialized form of one index file. */
    public record IndexFile(List<PackRecord> packs) {
    }

    public record PackRecord(String id, List<BlobRecord> blobs) {
    }

    public record BlobRecord(String id, String type, long offset, int length, int rawLength) {
    }

    private static final int BLOCK_BITS = BlobIdSet.BLOCK_BITS;
    private static final int BLOCK = BlobIdSet.BLOCK;
    private static final BlobType[] TYPES = BlobType.values();

    private final java.util.concurrent.locks.ReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** The blobs, numbered; blob n's location is in the blocks below at {@code [n >> BLOCK_BITS][n & (BLOCK - 1)]}. */
    private final BlobIdSet ids = new BlobIdSet();
    private final List<long[]> offsets = new ArrayList<>();
    private final List<int[]> lengths = new ArrayList<>();
    private final List<int[]> rawLengths = new ArrayList<>();
    private final List<int[]> packNumbers = new ArrayList<>();
    private final List<byte[]> types = new ArrayList<>();
    private final List<BlobId> packIds = new ArrayList<>();
    private final Map<BlobId, Integer> packNumberOf = new HashMap<>();

    public BlobLocation find(BlobId id) {
        lock.readLock().lock();
        try {
            int n = ids.indexOf(id);
            return n < 0 ? null : location(n);
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean contains(BlobId id) {
        lock.readLock().lock();
        try {
            return ids.contains(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return ids.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Calls {@code action} with every blob and where it is, under the read lock: it must not add to this index. */
    public void forEach(java.util.function.BiConsumer<BlobId, BlobLocation> action) {
        lock.readLock().lock();
        try {
            for (int n = 0; n < ids.size(); n++) {
                action.accept(ids.get(n), location(n));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    void clear() {
        lock.writeLock().lock();
        try {
            for (List<?> l : List.of(offsets, lengths, rawLengths, packNumbers, types, packIds)) {
                l.clear();
            }
            ids.clear();
            packNumberOf.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void add(BlobId pack, List<PackWriter.Entry> entries) {
        lock.writeLock().lock();
        try {
            int packNumber = packNumberOf.computeIfAbsent(pack, p -> {
                packIds.add(p);
                return packIds.size() - 1;
            });
            for (PackWriter.Entry e : entries) {
                int before = ids.size();
                int n = ids.add(e.id());
                // A blob stored twice (two concurrent backups) may be read from either pack: the first one named is kept.
                if (n == before) {
                    put(n, e, packNumber);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void put(int n, PackWriter.Entry entry, int packNumber) {
        int block = n >> BLOCK_BITS;
        int at = n & (BLOCK - 1);
        if (block == offsets.size()) {
            offsets.add(new long[BLOCK]);
            lengths.add(new int[BLOCK]);
            rawLengths.add(new int[BLOCK]);
            packNumbers.add(new int[BLOCK]);
            types.add(new byte[BLOCK]);
        }
        offsets.get(block)[at] = entry.offset();
        lengths.get(block)[at] = entry.length();
        rawLengths.get(block)[at] = entry.rawLength();
        packNumbers.get(block)[at] = packNumber;
        types.get(block)[at] = (byte) entry.type().ordinal();
    }

    private BlobLocation location(int n) {
        int block = n >> BLOCK_BITS;
        int at = n & (BLOCK - 1);
        return new BlobLocation(packIds.get(packNumbers.get(block)[at]), TYPES[types.get(block)[at]], offsets.get(block)[at],
                lengths.get(block)[at], rawLengths.get(block)[at]);
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
        forEach((id, l) -> out.computeIfAbsent(l.pack(), k -> new ArrayList<>()).add(Map.entry(id, l)));
        return out;
    }

    /** The blobs this index places in {@code pack}: a scan of the whole index, for the rare damaged pack. */
    List<PackWriter.Entry> inPack(BlobId pack) {
        List<PackWriter.Entry> out = new ArrayList<>();
        forEach((id, l) -> {
            if (l.pack().equals(pack)) {
                out.add(new PackWriter.Entry(id, l.type(), l.offset(), l.length(), l.rawLength()));
            }
        });
        return out;
    }

    /** The packs that hold at least one blob of this index. */
    public Set<BlobId> packs() {
        Set<BlobId> packs = new java.util.HashSet<>();
        lock.readLock().lock();
        try {
            for (int n = 0; n < ids.size(); n++) {
                packs.add(packIds.get(packNumbers.get(n >> BLOCK_BITS)[n & (BLOCK - 1)]));
            }
        } finally {
            lock.readLock().unlock();
        }
        return packs;
    }

    /**
     * An index file's JSON ({@link IndexFile}), written field by field: building the records first
     * held every blob's id three times over (record, string, bytes) while the file was written.
     */
    static byte[] toJson(Map<BlobId, List<PackWriter.Entry>> packs) {
        int blobs = packs.values().stream().mapToInt(List::size).sum();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64 + packs.size() * 96 + blobs * 160);
        try (com.fasterxml.jackson.core.JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("packs");
            for (Map.Entry<BlobId, List<PackWriter.Entry>> pack : packs.entrySet()) {
                g.writeStartObject();
                g.writeStringField("id", pack.getKey().hex());
                g.writeArrayFieldStart("blobs");
                for (PackWriter.Entry e : pack.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("id", e.id().hex());
                    g.writeStringField("type", e.type().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeNumberField("offset", e.offset());
                    g.writeNumberField("length", e.length());
                    g.writeNumberField("rawLength", e.rawLength());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write an index file", e);
        }
        return out.toByteArray();
    }
}
