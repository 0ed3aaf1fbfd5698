package dev.athena.repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.StoredObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace's deduplicated store of blobs, and its backups' manifests. Blobs are saved from
 * any number of threads; {@link #flush()} makes them durable (packs, then an index file), and only
 * after that may a manifest that refers to them be written.
 */
public final class Repository implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Repository.class);

    private final ObjectStore store;
    private final RepositoryLayout layout;
    private final Envelope envelope;
    private final Index index;
    /**
     * Whether the index files have been read: not at open but at the first use of the index, since
     * much that opens a repository never looks a blob up (the service's job records, listing
     * backups, reading a manifest), and reading them cost a freshly started service 0.3 s.
     */
    private volatile boolean indexRead;
    private final Object indexReadLock = new Object();
    private final Set<String> indexFiles = ConcurrentHashMap.newKeySet();
    /** Index files that could not be read: skipped, their blobs found from the packs' own headers when needed. */
    private final Set<String> damagedIndexFiles = ConcurrentHashMap.newKeySet();
    /** Packs whose headers were read because an index file is damaged; each is read once. */
    private final Set<BlobId> packsIndexedFromHeaders = ConcurrentHashMap.newKeySet();
    /** Blobs saved by this process whose pack is not yet in an index file: skip them, don't store twice. */
    private final Set<BlobId> pending = ConcurrentHashMap.newKeySet();
    private final Map<BlobId, List<PackWriter.Entry>> unindexedPacks = new HashMap<>();
    private final Object packLock = new Object();
    private final WriteBudget budget = WriteBudget.current();
    /**
     * The buffer of the last pack uploaded, for the next pack to fill: each pack used to grow a
     * buffer of its own to 12-17 MiB in steps (about 45 MiB of large arrays a pack), and a backup
     * of the 590 MB tree in bin/athena's heap made 13 full collections, 0.7 s of pauses. One spare
     * at most, so no more buffers live at once than before but one.
     */
    private final java.util.concurrent.atomic.AtomicReference<byte[]> spareBuffer = new java.util.concurrent.atomic.AtomicReference<>();
    private PackWriter current = new PackWriter(budget.packBytes());
    private final AtomicLong storedBytes = new AtomicLong();
    /**
     * Packs this process read whole and found intact, with their lengths: a pack that holds both a
     * component's file list and its files, or data of two components, is read and counted once.
     */
    private final Map<BlobId, Long> intactPacks = new java.util.concurrent.ConcurrentHashMap<>();
    /** The packs the current piece of evidence covers (see {@link #startEvidence()}). */
    private volatile Map<BlobId, Long> evidence = new java.util.concurrent.ConcurrentHashMap<>();
    /** How far the job working on this repository has got: its parts add what they read, write and check. */
    private final ProgressMeter progress = new ProgressMeter();
    private final Options options;
    private final PackUploader uploader;
    private BlobPipeline pipeline;

    /**
     * How this process writes and reads: the zstd level of new blobs (-7 fastest to 19 smallest), and
     * how many packs move at once (0: each is uploaded on the thread that filled it), and where the
     * index spills when it outgrows its share of the heap (null: it stays on the heap). None changes
     * what a repository can be read by.
     */
    public record Options(int compressionLevel, int transferThreads, java.nio.file.Path spillFolder) {
        public static final Options DEFAULTS = new Options(1, 4);

        /** Spilling to the system temp folder. */
        public Options(int compressionLevel, int transferThreads) {
            this(compressionLevel, transferThreads, java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        }

        public Options {
            if (compressionLevel < -7 || compressionLevel > 19) {
                throw new IllegalArgumentException("compression level must be from -7 to 19, got " + compressionLevel);
            }
            if (transferThreads < 0) {
                throw new IllegalArgumentException("transfer threads must not be negative, got " + transferThreads);
            }
        }
    }

    private Repository(ObjectStore store, RepositoryLayout layout, Envelope envelope, Options options) {
        this.store = store;
        this.layout = layout;
        this.envelope = envelope;
        this.options = options;
        this.index = new Index(options.spillFolder());
        this.uploader = new PackUploader(options.transferThreads(), budget.packBytes());
    }

    /** {@link #open(ObjectStore, String, String, boolean, Options)} with the default options. */
    public static Repository open(ObjectStore store, String namespace, String passphrase, boolean create) {
        return open(store, namespace, passphrase, create, Options.DEFAULTS);
    }

    /** Opens the repository of {@code namespace}, creating it when {@code create} and it does not exist yet. */
    public static Repository open(ObjectStore store, String namespace, String passphrase, boolean create, Options options) {
        RepositoryLayout layout = new RepositoryLayout(namespace);
        String where = store.locate(layout.repositoryFolder());
        RepositoryConfig config;
        try {
            config = Json.read(store.get(layout.config()), RepositoryConfig.class, "repository config " + where);
        } catch (ObjectNotFoundException e) {
            if (!create) {
                throw new RepositoryException("no backups of namespace '" + namespace + "' at " + store.locate(layout.namespaceFolder()));
            }
            RepositoryConfig mine = RepositoryConfig.create(passphrase);
            if (createAlone(store, layout, mine)) {
                log.info("created repository {}{}", where, passphrase == null ? "" : " (encrypted)");
                Repository repo = new Repository(store, layout, mine.envelope(passphrase, where), options);
                repo.createdHere = true;
                repo.indexRead = true; // new: no index file to read
                return repo;
            }
            config = Json.read(store.get(layout.config()), RepositoryConfig.class, "repository config " + where);
        }
        return new Repository(store, layout, config.envelope(passphrase, where), options);
    }

    /** A creation claim older than this was left by a process that died while creating. */
    static final java.time.Duration STALE_CREATION = java.time.Duration.ofMinutes(2);

    /**
     * Writes {@code config} unless another process creates the repository at the same moment:
     * two configs written one after the other would leave the first writer's data sealed with a
     * master key nobody has. {@link StoreClaim} on {@code repository/creating-<uuid>}: the config is
     * written only by the one that saw no other claim. The others wait for that config and use it. Returns true when this
     * process wrote the config.
     */
    private static boolean createAlone(ObjectStore store, RepositoryLayout layout, RepositoryConfig config) {
        String prefix = layout.creationClaimPrefix();
        java.util.Random jitter = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            if (store.exists(layout.config())) {
                return false;
            }
            String own = prefix + java.util.UUID.randomUUID();
            java.time.Instant staleBefore = java.time.Instant.now().minus(STALE_CREATION);
            if (StoreClaim.claim(store, prefix, own, new byte[0], o -> o.lastModified() == null || o.lastModified().isAfter(staleBefore))) {
                boolean first = !store.exists(layout.config());
                if (first) {
                    store.put(layout.config(), Json.write(config));
                }
                store.delete(own);
                return first;
            }
            try {
                Thread.sleep(50 + jitter.nextInt(250));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RepositoryException("interrupted while creating the repository at " + store.locate(layout.repositoryFolder()));
            }
        }
        if (store.exists(layout.config())) {
            return false;
        }
        throw new RepositoryException("cannot create the repository at " + store.locate(layout.repositoryFolder())
                + ": other processes keep creating it at the same moment");
    }

    /** True when this process created the repository (it did not exist when opened). */
    private volatile boolean createdHere;

    /**
     * Undoes the creation of a repository whose first backup failed, so the location is as it was
     * (before, the config stayed, and fixed the encryption choice for every later run). Only when
     * this process created it and the namespace still holds nothing but what a failed backup leaves
     * (the config, packs, index files, locks, name claims): no manifest, no status record, nobody
     * else's lock. Returns true when it was removed.
     */
    public boolean removeIfOnlyAFailedFirstBackup() {
        if (!createdHere) {
            return false;
        }
        List<StoredObject> all = store.list(layout.namespaceFolder());
        for (StoredObject o : all) {
            String rest = o.key().substring(layout.namespaceFolder().length());
            boolean leftByAFailedBackup = rest.equals("repository/config") || rest.startsWith("repository/data/")
                    || rest.startsWith("repository/index/") || rest.matches("[^/]+/claim-[^/]+");
            if (!leftByAFailedBackup) {
                return false;
            }
        }
        for (StoredObject o : all) {
            if (!o.key().equals(layout.config())) {
                store.delete(o.key());
            }
        }
        store.delete(layout.config());
        createdHere = false;
        log.info("removed the repository {} created for a backup that failed: the location is as it was", store.locate(layout.repositoryFolder()));
        return true;
    }

    public static boolean exists(ObjectStore store, String namespace) {
        return store.exists(new RepositoryLayout(namespace).config());
    }

    public ObjectStore store() {
        return store;
    }

    /** How this process writes and reads this repository. */
    public Options options() {
        return options;
    }

    public RepositoryLayout layout() {
        return layout;
    }

    public String namespace() {
        return layout.namespace();
    }

    /** The index, its files read at the first call. */
    public Index index() {
        if (!indexRead) {
            synchronized (indexReadLock) {
                if (!indexRead) {
                    loadIndex();
                }
            }
        }
        return index;
    }

    Envelope envelope() {
        return envelope;
    }

    /** The sizes of this process's write buffers, from its heap: the packs here, the pipeline's buffers there. */
    WriteBudget budget() {
        return budget;
    }

    Set<String> indexFiles() {
        index();
        return indexFiles;
    }

    /** Reads index files written by other processes since this one opened the repository. */
    public void reloadIndex() {
        loadIndex();
    }

    /**
     * Reads every index file not read yet. A damaged one is skipped with a warning, never fatal: the
     * blobs it lists are found from the packs' headers when a reader needs them
     * ({@link #locate}), and {@link #repairIndex} writes them into a new index file.
     */
    void loadIndex() {
        synchronized (indexReadLock) {
            readIndexFiles();
            indexRead = true;
        }
    }

    private void readIndexFiles() {
        for (StoredObject o : store.list(layout.indexFolder())) {
            if (indexFiles.contains(o.key()) || damagedIndexFiles.contains(o.key())) {
                continue;
            }
            Map<BlobId, List<PackWriter.Entry>> packs;
            try {
                byte[] data = envelope.open(store.get(o.key()));
                packs = Index.parse(data, "index file " + o.key());
            } catch (ObjectNotFoundException e) {
                continue; // replaced by a concurrent prune; its successor is in the listing too
            } catch (CorruptDataException e) {
                log.warn("index file {} is damaged and skipped ({}); the blobs it lists are read from the packs' headers when needed,"
                        + " and 'athena repair index' writes a new index", store.locate(o.key()), e.getMessage());
                damagedIndexFiles.add(o.key());
                continue;
            }
            String key = o.key();
            packs.forEach((pack, entries) -> index.add(pack, entries, key));
            indexFiles.add(key);
        }
    }

    /** Index files found damaged (and skipped) so far. */
    public Set<String> damagedIndexFiles() {
        index();
        return Set.copyOf(damagedIndexFiles);
    }

    /**
     * Where a blob is: from the index, or, when an index file is damaged and the blob is in no
     * readable one, from the headers of the packs no readable index names.
     */
    public BlobLocation locate(BlobId id) {
        BlobLocation loc = index().find(id);
        if (loc == null && !damagedIndexFiles.isEmpty() && indexUnindexedPacks() > 0) {
            loc = index.find(id);
        }
        if (loc != null) {
            dataAhead(loc.type(), loc.length());
        }
        return loc;
    }

    /** A large data blob sealed or looked up means real data is coming through AES-GCM: see {@link CryptoWarmUp}. */
    private void dataAhead(BlobType type, int sealedLength) {
        if (type == BlobType.DATA && sealedLength >= CryptoWarmUp.FROM && envelope.encrypts()) {
            CryptoWarmUp.start();
        }
    }

    /** Reads the header of every pack that no index names yet into the index; returns how many were read. */
    private synchronized int indexUnindexedPacks() {
        Set<BlobId> known = index().packs();
        int read = 0;
        for (StoredObject o : store.list(layout.packFolder())) {
            BlobId pack = layout.packIdOf(o.key());
            if (pack == null || known.contains(pack) || !packsIndexedFromHeaders.add(pack)) {
                continue;
            }
            try {
                List<PackWriter.Entry> entries = PackReader.header(store, o.key(), o.size(), envelope);
                index.add(pack, entries);
                synchronized (unindexedPacks) {
                    fromHeaders.put(pack, entries);
                }
                read++;
            } catch (CorruptDataException | ObjectNotFoundException e) {
                log.warn("pack {} has a damaged header and is not indexed: {}", store.locate(o.key()), e.getMessage());
            }
        }
        return read;
    }

    /** Packs indexed from their own headers, not yet written to an index file. */
    private final Map<BlobId, List<PackWriter.Entry>> fromHeaders = new HashMap<>();

    public record IndexRepair(int damagedIndexFiles, int packsRead, int blobsIndexed) {
    }

    /**
     * Rebuilds what damaged index files held, as restic's {@code repair index} does: reads the header
     * of every pack no readable index names, writes one new index file naming them, and only then
     * deletes the damaged files. The caller holds the exclusive lock.
     */
    public IndexRepair repairIndex() {
        loadIndex();
        List<String> damaged = List.copyOf(damagedIndexFiles);
        packsIndexedFromHeaders.clear();
        indexUnindexedPacks();
        Map<BlobId, List<PackWriter.Entry>> rebuilt;
        synchronized (unindexedPacks) {
            rebuilt = new HashMap<>(fromHeaders);
            fromHeaders.clear();
        }
        // Unencrypted, the rebuilt index can be byte for byte the file that was damaged, under the same name.
        String fresh = rebuilt.isEmpty() ? null : writeIndexFile(rebuilt);
        for (String key : damaged) {
            if (!key.equals(fresh)) {
                store.delete(key);
            }
            damagedIndexFiles.remove(key);
        }
        int blobs = rebuilt.values().stream().mapToInt(List::size).sum();
        log.info("repaired the index of namespace {}: {} damaged index files replaced, {} packs read, {} blobs indexed",
                namespace(), damaged.size(), rebuilt.size(), blobs);
        return new IndexRepair(damaged.size(), rebuilt.size(), blobs);
    }

    /**
     * The hashing and packing workers every writer of this repository shares: the components of a
     * backup run side by side, and one pipeline each would multiply the chunk buffers held (a
     * platform backup at -Xmx128m ran out of heap with three). Idle workers end after a while, so
     * an unused repository holds no threads.
     */
    public synchronized BlobPipeline pipeline() {
        if (pipeline == null) {
            pipeline = BlobPipeline.standard(this);
        }
        return pipeline;
    }

    /**
     * Releases the worker threads (hashing, packing, uploading) and their buffers at once, instead
     * of after 30 idle seconds. The repository can still be read; writing blobs needs a new one.
     */
    @Override
    public synchronized void close() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
        uploader.close();
    }

    /** True when the blob is stored (or being stored by this process), so it need not be saved again. */
    public boolean has(BlobId id) {
        return index().contains(id) || pending.contains(id);
    }

    /** Saves a blob unless the repository has it already; thread-safe. Returns its id. */
    public BlobId save(BlobType type, byte[] data, int offset, int length) {
        BlobId id = BlobId.of(data, offset, length);
        if (index().contains(id) || !pending.add(id)) {
            return id;
        }
        append(id, type, data, offset, length);
        return id;
    }

    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    private void append(BlobId id, BlobType type, byte[] data, int offset, int length) {
        byte[] scratch = Compression.scratch(SCRATCH, length);
        int packed = Compression.pack(data, offset, length, options.compressionLevel(), scratch);
        dataAhead(type, packed);
        byte[] sealed = envelope.encrypts() ? envelope.seal(scratch, 0, packed) : scratch;
        int sealedLength = envelope.encrypts() ? sealed.length : packed;
        PackWriter full = null;
        synchronized (packLock) {
            current.add(id, type, sealed, sealedLength, length);
            if (current.size() >= budget.packTarget() || current.count() >= PackWriter.MAX_BLOBS) {
                uploader.reserve();
                full = current;
                current = new PackWriter(budget.packBytes(), spareBuffer.getAndSet(null));
            }
        }
        if (full != null) {
            PackWriter pack = full;
            uploader.submit(() -> upload(pack));
        }
    }

    public BlobId save(BlobType type, byte[] data) {
        return save(type, data, 0, data.length);
    }

    private void upload(PackWriter writer) {
        PackWriter.Finished pack = writer.finish(envelope);
        store.put(layout.pack(pack.id()), pack.bytes(), pack.length());
        // Stored (every store has copied or written the bytes once put returns): the buffer may be filled again.
        if (pack.bytes().length >= 1024 * 1024) {
            spareBuffer.compareAndSet(null, pack.bytes());
        }
        storedBytes.addAndGet(pack.length());
        Map<BlobId, List<PackWriter.Entry>> enough = null;
        synchronized (unindexedPacks) {
            unindexedPacks.put(pack.id(), pack.entries());
            unindexedBlobs += pack.entries().size();
            if (unindexedBlobs >= INDEX_FILE_BLOBS) {
                enough = takeUnindexed();
            }
        }
        if (enough != null) {
            index(enough);
        }
    }

    /**
     * Blobs one index file names at most while a backup runs: an index file is sealed whole, so a
     * backup of millions of small files writes several of bounded size (about 3 MiB each) instead
     * of one that must be built in memory at the end (a 200,000-file backup ran out of a 96 MiB
     * heap there). Readers take the union of index files either way.
     */
    static final int INDEX_FILE_BLOBS = 20_000;
    private int unindexedBlobs;

    private Map<BlobId, List<PackWriter.Entry>> takeUnindexed() {
        Map<BlobId, List<PackWriter.Entry>> packs = new HashMap<>(unindexedPacks);
        unindexedPacks.clear();
        unindexedBlobs = 0;
        return packs;
    }

    /** Writes an index file naming {@code packs}, then serves their blobs from the index instead of the pending set. */
    private void index(Map<BlobId, List<PackWriter.Entry>> packs) {
        String key = writeIndexFile(packs);
        packs.forEach((pack, entries) -> index().add(pack, entries, key));
        packs.values().forEach(entries -> entries.forEach(e -> pending.remove(e.id())));
    }

    /** Uploads the open pack and writes an index file naming every pack uploaded since the last flush. */
    public void flush() {
        Map<BlobId, List<PackWriter.Entry>> packs = flushPacks();
        if (!packs.isEmpty()) {
            index(packs);
        }
    }

    /** Uploads the open pack; returns the packs uploaded since the last flush, not yet in any index file. */
    Map<BlobId, List<PackWriter.Entry>> flushPacks() {
        PackWriter last;
        synchronized (packLock) {
            last = current;
            current = new PackWriter(budget.packBytes());
        }
        if (last.count() > 0) {
            upload(last);
        }
        uploader.await();
        synchronized (unindexedPacks) {
            return takeUnindexed();
        }
    }

    /** Saves a blob even though an index names it: prune moves live blobs out of mostly-dead packs. */
    void rewrite(BlobType type, byte[] data) {
        BlobId id = BlobId.of(data);
        if (!pending.add(id)) {
            return;
        }
        append(id, type, data, 0, data.length);
    }

    /** Deletes index files that prune replaced; their packs are named by the files that replaced them. */
    void deleteIndexFiles(java.util.Collection<String> keys) {
        for (String key : keys) {
            store.delete(key);
            indexFiles.remove(key);
        }
    }

    /** Forgets the index in memory and reads the index files again: what prune left is what readers will see. */
    void reloadIndexFromScratch() {
        index.clear();
        indexFiles.clear();
        damagedIndexFiles.clear();
        packsIndexedFromHeaders.clear();
        pending.clear();
        loadIndex();
    }

    String writeIndexFile(Map<BlobId, List<PackWriter.Entry>> packs) {
        byte[] sealed = envelope.seal(Index.toJson(packs));
        String key = layout.index(BlobId.of(sealed).hex());
        store.put(key, sealed);
        indexFiles.add(key);
        return key;
    }

    /** A pack read whole whose hash matched its name: remembered, so no later check reads it again, and counted as evidence. */
    void packIntact(BlobId pack, long bytes) {
        intactPacks.put(pack, bytes);
        evidence.put(pack, bytes);
        progress.addBytes(bytes);
    }

    /** The length of a pack this process has already read whole and found intact, or -1; counted as evidence when found. */
    long alreadyIntact(BlobId pack) {
        Long bytes = intactPacks.get(pack);
        if (bytes == null) {
            return -1;
        }
        evidence.put(pack, bytes);
        return bytes;
    }

    /**
     * Begins a new piece of evidence: from now, each distinct pack a check covers (read now, or
     * found intact by an earlier check) is counted once in {@link #evidence()}. The pre-restore
     * checks start one per component, so each says exactly which packs it needs and how large they are.
     */
    public void startEvidence() {
        evidence = new java.util.concurrent.ConcurrentHashMap<>();
    }

    /** Distinct packs, and their bytes, found intact since {@link #startEvidence()}. */
    public record Evidence(long packs, long bytes) {
    }

    public Evidence evidence() {
        Map<BlobId, Long> e = evidence;
        return new Evidence(e.size(), e.values().stream().mapToLong(Long::longValue).sum());
    }

    /** The progress of the job working on this repository (one job per opened repository). */
    public ProgressMeter progress() {
        return progress;
    }

    /** Bytes of packs uploaded by this process so far. */
    public long storedBytes() {
        return storedBytes.get();
    }

    /** Loads a blob and checks its hash; {@link CorruptDataException} names the blob and its pack when it does not. */
    public byte[] load(BlobId id) {
        BlobLocation loc = locate(id);
        if (loc == null) {
            throw new CorruptDataException("blob " + id.shortHex() + " is in no index: its data is missing");
        }
        Object blob = loadRun(List.of(id), List.of(loc))[0];
        if (blob instanceof RuntimeException e) {
            throw e;
        }
        return (byte[]) blob;
    }

    /**
     * The blobs at {@code locations} (from {@link #locate}), all in one pack, read with one ranged
     * read of the span they cover instead of one read each: a small-file volume's blobs were
     * written nearly in tree order, so a restore reads them in runs (100,000 files of 100 bytes:
     * 100,000 reads before, now some thousands). Each blob is still opened and checked on its own;
     * one that fails is a {@link CorruptDataException} in its own place, so the caller meets it when
     * it reaches that blob ({@link #load} is a run of one). The span is the caller's to keep small.
     */
    public Object[] loadRun(List<BlobId> ids, List<BlobLocation> locations) {
        Object[] out = new Object[ids.size()];
        BlobId pack = locations.get(0).pack();
        long start = Long.MAX_VALUE;
        long end = 0;
        for (BlobLocation l : locations) {
            if (!l.pack().equals(pack)) {
                throw new IllegalArgumentException("the blobs of a run must be in one pack");
            }
            start = Math.min(start, l.offset());
            end = Math.max(end, l.offset() + l.length());
        }
        if (end - start > Index.MAX_BLOB) {
            throw new IllegalArgumentException("a run of " + (end - start) + " bytes is larger than one read may be");
        }
        byte[] span;
        try {
            span = store.getRange(layout.pack(pack), start, (int) (end - start));
        } catch (ObjectNotFoundException e) {
            java.util.Arrays.fill(out, new CorruptDataException("pack " + pack.shortHex() + " holding blob " + ids.get(0).shortHex() + " is missing", e));
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            BlobLocation l = locations.get(i);
            int from = (int) (l.offset() - start);
            if (span.length < from + l.length()) {
                out[i] = new CorruptDataException("pack " + pack.shortHex() + " is truncated at blob " + ids.get(i).shortHex());
                continue;
            }
            try {
                byte[] sealed = from == 0 && l.length() == span.length ? span : java.util.Arrays.copyOfRange(span, from, from + l.length());
                out[i] = PackReader.blob(sealed, ids.get(i), l.rawLength(), envelope);
            } catch (CorruptDataException e) {
                out[i] = new CorruptDataException("blob " + ids.get(i).shortHex() + " in pack " + pack.shortHex() + " is damaged: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Writes a small metadata object (a status record, a report), sealed like everything else. */
    public void putSealed(String key, byte[] plaintext) {
        store.put(key, envelope.seal(plaintext));
    }

    /**
     * Writes a large object kept outside the packs (a WAL segment of 16 MiB): its length (4 bytes,
     * big-endian), then the compression flag and payload as a blob's, all sealed.
     */
    public void putSealedCompressed(String key, byte[] data, int length) {
        byte[] packed = Compression.scratch(SEALED_SCRATCH, length);
        int n = Compression.pack(data, 0, length, options.compressionLevel(), packed);
        byte[] plain = new byte[4 + n];
        java.nio.ByteBuffer.wrap(plain).putInt(length);
        System.arraycopy(packed, 0, plain, 4, n);
        store.put(key, envelope.seal(plain));
    }

    private static final ThreadLocal<byte[]> SEALED_SCRATCH = new ThreadLocal<>();

    /** Reads an object written by {@link #putSealedCompressed}; {@link CorruptDataException} when it was altered. */
    public byte[] getSealedCompressed(String key) {
        byte[] plain = envelope.open(getMetadata(key));
        if (plain.length < 5) {
            throw new CorruptDataException(store.locate(key) + " is too short to be a compressed object");
        }
        int length = java.nio.ByteBuffer.wrap(plain).getInt();
        if (length < 0 || length > MAX_METADATA) {
            throw new CorruptDataException(store.locate(key) + " claims " + length + " bytes");
        }
        return Compression.unpack(java.util.Arrays.copyOfRange(plain, 4, plain.length), length);
    }

    /** Reads an object written by {@link #putSealed}. */
    public byte[] getSealed(String key) {
        return envelope.open(getMetadata(key));
    }

    /**
     * The most bytes of a manifest or record Athena reads. Real ones are a few KiB (a manifest with
     * thousands of databases, a few MiB); one planted larger by whoever can write to the location
     * is refused as damaged instead of being read whole into the heap.
     */
    static final int MAX_METADATA = 64 * 1024 * 1024;

    private byte[] getMetadata(String key) {
        byte[] data = store.getAtMost(key, MAX_METADATA);
        if (data.length > MAX_METADATA) {
            throw new CorruptDataException(store.locate(key) + " is larger than the " + (MAX_METADATA >> 20)
                    + " MiB a manifest or record may be; it is not read");
        }
        return data;
    }

    // ---- manifests -------------------------------------------------------------------------

    public void writeManifest(Manifest manifest) {
        store.put(layout.manifest(manifest.timestamp()), envelope.seal(Json.write(manifest)));
    }

    public Manifest readManifest(String timestamp) {
        String key = layout.manifest(timestamp);
        byte[] data;
        try {
            data = getMetadata(key);
        } catch (ObjectNotFoundException e) {
            throw new RepositoryException("no backup " + timestamp + " in namespace " + namespace() + " at " + store.locate(layout.backupFolder(timestamp)));
        }
        try {
            return Json.read(envelope.open(data), Manifest.class, "manifest " + key).checkShape(timestamp, "manifest " + key);
        } catch (CorruptDataException e) {
            throw new CorruptDataException("manifest of backup " + timestamp + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Claims the name {@code timestamp} for a backup ({@link StoreClaim} in its folder): false when
     * anything is there already (a backup, a record, another writer's claim), or another writer
     * claimed it at the same moment.
     */
    public boolean claimBackupName(String timestamp, byte[] claimContent) {
        String folder = layout.backupFolder(timestamp);
        if (!store.list(folder).isEmpty()) {
            return false;
        }
        return StoreClaim.claim(store, folder, layout.claim(timestamp, java.util.UUID.randomUUID().toString()), envelope.seal(claimContent), o -> true);
    }

    /** Timestamps of the backups that exist (those with a manifest), oldest first. */
    public List<String> timestamps() {
        List<String> out = new ArrayList<>();
        for (String folder : store.listFolders(layout.namespaceFolder())) {
            if (RepositoryLayout.isTimestamp(folder) && store.exists(layout.manifest(folder))) {
                out.add(folder);
            }
        }
        return out;
    }

    /** Removes a backup's manifest, so it stops existing; its data goes at the next prune. */
    public void deleteManifest(String timestamp) {
        store.delete(layout.manifest(timestamp));
    }
}
