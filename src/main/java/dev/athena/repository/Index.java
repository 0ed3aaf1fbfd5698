package dev.athena.repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which pack holds each blob: the union of the index files. It grows with the number of blobs
 * (one per small file), so each blob is one 64-byte record of a {@link BlobIdSet} (its id, then
 * where it is) instead of a map of objects (about 150 bytes a blob on the heap), and beyond a few
 * MiB those records are spilled to a mapped file ({@link RecordSpace}): 5,000,000 blobs keep
 * only their 32 MiB hash table on the heap. Each blob also remembers which index file named it, so
 * that prune rewrites only the index files it changes. Thread-safe: many readers, one writer at a
 * time.
 */
public final class Index {
    /** The serialized form of one index file. */
    public record IndexFile(List<PackRecord> packs) {
    }

    public record PackRecord(String id, List<BlobRecord> blobs) {
    }

    public record BlobRecord(String id, String type, long offset, int length, int rawLength) {
    }

    /** One blob of the index, with the numbers of its pack and of the index file that named it (-1: none yet). */
    public interface EntryVisitor {
        void visit(BlobId id, BlobLocation location, int packNumber, int fileNumber);
    }

    private static final int RECORD = 64;
    private static final int OFFSET = 32;
    private static final int LENGTH = 40;
    private static final int RAW_LENGTH = 44;
    private static final int PACK = 48;
    private static final int FILE = 52;
    private static final int TYPE = 56;
    private static final BlobType[] TYPES = BlobType.values();

    private final java.util.concurrent.locks.ReadWriteLock lock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final BlobIdSet ids;
    private final List<BlobId> packIds = new ArrayList<>();
    private final Map<BlobId, Integer> packNumberOf = new HashMap<>();
    /** Per pack number, the numbers of the index files that name it (-1: none yet); nearly always one. */
    private final List<int[]> filesOfPack = new ArrayList<>();
    private final List<String> fileKeys = new ArrayList<>();
    private final Map<String, Integer> fileNumberOf = new HashMap<>();

    /** An index whose records spill into {@code spillFolder} when large (null: they stay on the heap). */
    public Index(java.nio.file.Path spillFolder) {
        this.ids = new BlobIdSet(RECORD, spillFolder);
    }

    /** An index spilled to the system temp folder. */
    public Index() {
        this(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@code query}'s answer under the read lock. (find and contains, called for every chunk, take the lock themselves.) */
    private <T> T read(java.util.function.Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

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
        return read(ids::size);
    }

    /** True once the records are in a spill file. */
    boolean spilled() {
        return read(ids::spilled);
    }

    /** Calls {@code action} with every blob and where it is, under the read lock: it must not add to this index. */
    public void forEach(java.util.function.BiConsumer<BlobId, BlobLocation> action) {
        forEachEntry((id, l, pack, file) -> action.accept(id, l));
    }

    /** Calls {@code visitor} with every blob in the order they were added, under the read lock: it must not add to this index. */
    public void forEachEntry(EntryVisitor visitor) {
        lock.readLock().lock();
        try {
            for (int n = 0; n < ids.size(); n++) {
                java.nio.ByteBuffer r = ids.record(n);
                int at = ids.at(n);
                visitor.visit(ids.get(n), location(n), r.getInt(at + PACK), r.getInt(at + FILE));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** How many packs the index has numbered (some may hold no blob the index keeps: all theirs were named first elsewhere). */
    public int packCount() {
        return read(packIds::size);
    }

    /** The id of pack number {@code n}. */
    public BlobId packId(int n) {
        return read(() -> packIds.get(n));
    }

    /** The numbers of the index files that name pack number {@code n}, -1 for none yet (its blobs came from elsewhere). */
    int[] filesOf(int pack) {
        return read(() -> filesOfPack.get(pack).clone());
    }

    /** How many index files the index has numbered. */
    int fileCount() {
        return read(fileKeys::size);
    }

    /** The key of index file number {@code n}. */
    String fileKey(int n) {
        return read(() -> fileKeys.get(n));
    }

    void clear() {
        lock.writeLock().lock();
        try {
            packIds.clear();
            packNumberOf.clear();
            filesOfPack.clear();
            fileKeys.clear();
            fileNumberOf.clear();
            ids.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds the blobs of {@code pack}, named by no index file yet (read from its header, or written by this process). */
    void add(BlobId pack, List<PackWriter.Entry> entries) {
        add(pack, entries, null);
    }

    /** Adds the blobs of {@code pack} as the index file {@code fileKey} names them. */
    void add(BlobId pack, List<PackWriter.Entry> entries, String fileKey) {
        lock.writeLock().lock();
        try {
            int packNumber = packNumberOf.computeIfAbsent(pack, p -> {
                packIds.add(p);
                filesOfPack.add(new int[0]);
                return packIds.size() - 1;
            });
            int fileNumber = fileKey == null ? -1 : fileNumberOf.computeIfAbsent(fileKey, k -> {
                fileKeys.add(k);
                return fileKeys.size() - 1;
            });
            int[] files = filesOfPack.get(packNumber);
            if (java.util.Arrays.stream(files).noneMatch(f -> f == fileNumber)) {
                int[] more = java.util.Arrays.copyOf(files, files.length + 1);
                more[files.length] = fileNumber;
                filesOfPack.set(packNumber, more);
            }
            for (PackWriter.Entry e : entries) {
                int before = ids.size();
                int n = ids.add(e.id());
                // A blob stored twice (two concurrent backups) may be read from either pack: the first one named is kept.
                if (n == before) {
                    put(n, e, packNumber, fileNumber);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void put(int n, PackWriter.Entry entry, int packNumber, int fileNumber) {
        java.nio.ByteBuffer r = ids.record(n);
        int at = ids.at(n);
        r.putLong(at + OFFSET, entry.offset());
        r.putInt(at + LENGTH, entry.length());
        r.putInt(at + RAW_LENGTH, entry.rawLength());
        r.putInt(at + PACK, packNumber);
        r.putInt(at + FILE, fileNumber);
        r.put(at + TYPE, (byte) entry.type().ordinal());
    }

    private BlobLocation location(int n) {
        java.nio.ByteBuffer r = ids.record(n);
        int at = ids.at(n);
        return new BlobLocation(packIds.get(r.getInt(at + PACK)), TYPES[r.get(at + TYPE)], r.getLong(at + OFFSET), r.getInt(at + LENGTH),
                r.getInt(at + RAW_LENGTH));
    }

    /** The largest blob an index may describe; a larger length is damage or an attack, not data (it would be allocated whole). */
    static final int MAX_BLOB = 256 * 1024 * 1024;

    /**
     * The packs an index file (section 7 of docs/repository-format.md) names, each with its blobs,
     * checked before any is used: every id a blob id, every type known, offsets and lengths in
     * range; a {@link CorruptDataException} names the first thing wrong. Read token by token with
     * Jackson's streaming parser, not bound to records first (an index of 100,000 blobs took a
     * freshly started JVM 0.18 s to bind). Fields it does not know are skipped.
     */
    static Map<BlobId, List<PackWriter.Entry>> parse(byte[] json, String what) {
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            Map<BlobId, List<PackWriter.Entry>> out = null;
            expect(p.nextToken(), com.fasterxml.jackson.core.JsonToken.START_OBJECT, what);
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken value = p.nextToken();
                if (!field.equals("packs")) {
                    p.skipChildren();
                } else if (value == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                    out = new HashMap<>();
                    while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        parsePack(p, out, what);
                    }
                } else if (value != com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
                    throw new CorruptDataException(what + " has the wrong shape: packs is not a list");
                }
            }
            if (out == null) {
                throw new CorruptDataException(what + " has the wrong shape: no packs");
            }
            return out;
        } catch (java.io.IOException e) {
            throw new CorruptDataException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void parsePack(com.fasterxml.jackson.core.JsonParser p, Map<BlobId, List<PackWriter.Entry>> out, String what)
            throws java.io.IOException {
        expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.START_OBJECT, what);
        String id = null;
        List<PackWriter.Entry> entries = null;
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String field = p.currentName();
            com.fasterxml.jackson.core.JsonToken value = p.nextToken();
            if (field.equals("id")) {
                id = value == com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? null : p.getValueAsString();
            } else if (field.equals("blobs") && value == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                entries = new ArrayList<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    entries.add(parseBlob(p, what));
                }
            } else {
                p.skipChildren();
            }
        }
        if (id == null || entries == null) {
            throw new CorruptDataException(what + " has the wrong shape: a field is missing");
        }
        out.put(parsedId(id, what), entries);
    }

    private static PackWriter.Entry parseBlob(com.fasterxml.jackson.core.JsonParser p, String what) throws java.io.IOException {
        expect(p.currentToken(), com.fasterxml.jackson.core.JsonToken.START_OBJECT, what);
        String id = null;
        String type = null;
        long offset = 0;
        int length = 0;
        int rawLength = 0;
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = p.getValueAsString();
                case "type" -> type = p.getValueAsString();
                case "offset" -> offset = p.getLongValue();
                case "length" -> length = p.getIntValue();
                case "rawLength" -> rawLength = p.getIntValue();
                default -> p.skipChildren();
            }
        }
        if (id == null || type == null) {
            throw new CorruptDataException(what + " has the wrong shape: a field is missing");
        }
        if (offset < 0 || length < 0 || length > MAX_BLOB || rawLength < 0 || rawLength > MAX_BLOB) {
            throw new CorruptDataException(what + ": blob " + id + " has an offset or length out of range");
        }
        BlobType t;
        try {
            t = BlobType.valueOf(type.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(what + " has the wrong shape: " + e.getMessage(), e);
        }
        return new PackWriter.Entry(parsedId(id, what), t, offset, length, rawLength);
    }

    private static BlobId parsedId(String hex, String what) {
        try {
            return BlobId.parse(hex);
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(what + " has the wrong shape: " + e.getMessage(), e);
        }
    }

    private static void expect(com.fasterxml.jackson.core.JsonToken found, com.fasterxml.jackson.core.JsonToken expected, String what) {
        if (found != expected) {
            throw new CorruptDataException(what + " has the wrong shape: " + found + " where " + expected + " belongs");
        }
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
                packs.add(packIds.get(ids.record(n).getInt(ids.at(n) + PACK)));
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
