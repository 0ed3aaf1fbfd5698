package dev.athena.repository;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.athena.storage.StoredObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes data that no kept backup references. The caller holds the exclusive lock and passes the
 * blobs still in use. Packs with no live blob are deleted; packs that are mostly dead have their live
 * blobs copied (and checked) into new packs first. Only the index files that name a pack going away
 * are rewritten (and small ones merged), in files of bounded size, streamed from the index: prune
 * needs no more heap for 5,000,000 blobs than for 5,000. The order keeps every live blob reachable
 * at every moment: new packs and their index files, then the rewritten index files, then the old
 * index files, then old packs.
 */
public final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    /** Repack a pack when at least this share of its bytes is dead. */
    static final double REPACK_THRESHOLD = 0.25;
    /** An index file naming fewer blobs than this is merged with the other small ones. */
    static final int SMALL_INDEX_FILE = Repository.INDEX_FILE_BLOBS / 2;
    private static final byte KEEP = 0;
    private static final byte DELETE = 1;
    private static final byte REPACK = 2;

    public record Result(int packsDeleted, int packsRepacked, int orphanPacksDeleted, long bytesFreed, int blobsRemoved, int blobsKept) {
    }

    private final Repository repository;

    public Pruner(Repository repository) {
        this.repository = repository;
    }

    /** Which packs go and which are rewritten, and what that frees: prune's first step, which changes nothing. */
    private record Fates(byte[] fate, int deleted, int repacked, int removedBlobs, long freed, int[] blobsOfFile) {
    }

    private Fates decide(Index index, BlobIdSet used) {
        int packs = index.packCount();
        long[] live = new long[packs];
        long[] dead = new long[packs];
        int[] blobs = new int[packs];
        int[] blobsOfFile = new int[index.fileCount()];
        index.forEachEntry((id, l, pack, file) -> {
            if (used.contains(id)) {
                live[pack] += l.length();
            } else {
                dead[pack] += l.length();
            }
            blobs[pack]++;
            if (file >= 0) {
                blobsOfFile[file]++;
            }
        });
        byte[] fate = new byte[packs];
        int deleted = 0;
        int repacked = 0;
        int removedBlobs = 0;
        long freed = 0;
        for (int p = 0; p < packs; p++) {
            if (dead[p] == 0) {
                continue;
            }
            fate[p] = live[p] == 0 ? DELETE : (double) dead[p] / (live[p] + dead[p]) >= REPACK_THRESHOLD ? REPACK : KEEP;
            if (fate[p] != KEEP) {
                freed += dead[p];
                if (fate[p] == DELETE) {
                    deleted++;
                    removedBlobs += blobs[p];
                } else {
                    repacked++;
                }
            }
        }
        return new Fates(fate, deleted, repacked, removedBlobs, freed, blobsOfFile);
    }

    /**
     * What {@link #prune} would do now, without doing it: the packs it would delete and rewrite, the
     * packs no index names, and the bytes that frees (blobs of rewritten packs counted as they are
     * dropped, so {@code blobsRemoved} counts only whole deleted packs' blobs here).
     */
    public Result plan(BlobIdSet used) {
        Index index = repository.index();
        Fates f = decide(index, used);
        Set<BlobId> named = new HashSet<>();
        for (int p = 0; p < index.packCount(); p++) {
            named.add(index.packId(p));
        }
        int orphans = 0;
        long freed = f.freed();
        if (repository.damagedIndexFiles().isEmpty()) {
            for (StoredObject o : repository.store().list(repository.layout().packFolder())) {
                BlobId id = repository.layout().packIdOf(o.key());
                if (id != null && !named.contains(id)) {
                    orphans++;
                    freed += o.size();
                }
            }
        }
        return new Result(f.deleted(), f.repacked(), orphans, freed, f.removedBlobs(), index.size() - f.removedBlobs());
    }

    public Result prune(BlobIdSet used) {
        // A damaged index file would make its packs look unreferenced: rebuild from their headers first.
        if (!repository.damagedIndexFiles().isEmpty()) {
            repository.repairIndex();
        }
        Index index = repository.index();
        int packs = index.packCount();
        Fates decided = decide(index, used);
        byte[] fate = decided.fate();
        int deleted = decided.deleted();
        int repacked = decided.repacked();
        int removedBlobs = decided.removedBlobs();
        long freed = decided.freed();
        int[] blobsOfFile = decided.blobsOfFile();
        Map<BlobId, List<PackWriter.Entry>> repackedUnindexed = new LinkedHashMap<>();
        removedBlobs += repack(index, fate, used, repackedUnindexed);
        Set<Integer> rewrite = filesToRewrite(index, fate, blobsOfFile);
        List<String> written = rewriteIndexFiles(index, fate, rewrite, repackedUnindexed);
        List<String> replaced = new ArrayList<>();
        for (int f : rewrite) {
            if (f >= 0 && !written.contains(index.fileKey(f))) {
                replaced.add(index.fileKey(f));
            }
        }
        repository.deleteIndexFiles(replaced);
        Set<BlobId> gone = new HashSet<>();
        for (int p = 0; p < packs; p++) {
            if (fate[p] != KEEP) {
                BlobId pack = index.packId(p);
                repository.store().delete(repository.layout().pack(pack));
                gone.add(pack);
            }
        }
        // What readers will see from now on; packs it names nowhere were left by a backup that died before writing its index.
        repository.reloadIndexFromScratch();
        Set<BlobId> named = new HashSet<>();
        for (int p = 0; p < index.packCount(); p++) {
            named.add(index.packId(p));
        }
        int orphans = 0;
        if (!repository.damagedIndexFiles().isEmpty()) {
            // An index file that cannot be read now would make the packs it names look like orphans.
            log.warn("prune of namespace {} deletes no unnamed packs: index files {} could not be read just now",
                    repository.namespace(), repository.damagedIndexFiles());
            named = null;
        }
        for (StoredObject o : named == null ? List.<StoredObject>of() : repository.store().list(repository.layout().packFolder())) {
            BlobId id = repository.layout().packIdOf(o.key());
            if (id != null && !named.contains(id) && !gone.contains(id)) {
                repository.store().delete(o.key());
                orphans++;
                freed += o.size();
            }
        }
        Result r = new Result(deleted, repacked, orphans, freed, removedBlobs, index.size());
        log.info("pruned namespace {}: {}", repository.namespace(), r);
        return r;
    }

    /**
     * Copies the live blobs of the packs to repack into new packs; returns the dead blobs left
     * behind. New packs get index files of their own as they fill up; the last ones, in {@code
     * unindexed}, go into the rewritten index files.
     */
    private int repack(Index index, byte[] fate, BlobIdSet used, Map<BlobId, List<PackWriter.Entry>> unindexed) {
        BlobIdSet move = new BlobIdSet(repository.options().spillFolder());
        int[] dropped = {0};
        index.forEachEntry((id, l, pack, file) -> {
            if (fate[pack] == REPACK) {
                if (used.contains(id)) {
                    move.add(id);
                } else {
                    dropped[0]++;
                }
            }
        });
        if (move.size() == 0) {
            return dropped[0];
        }
        // Outside the index's lock: a full pack's upload adds to the index.
        for (int n = 0; n < move.size(); n++) {
            BlobId id = move.get(n);
            BlobLocation l = index.find(id);
            repository.rewrite(l.type(), repository.load(id));
        }
        unindexed.putAll(repository.flushPacks());
        move.clear();
        return dropped[0];
    }

    /**
     * The index files prune writes again: those naming a pack that goes (through any of its blobs,
     * also one named first elsewhere), and the small ones when there are several, so that index
     * files do not pile up one per backup. Blobs named by no file yet (found from pack headers) are
     * written too, under the number -1.
     */
    private static Set<Integer> filesToRewrite(Index index, byte[] fate, int[] blobsOfFile) {
        Set<Integer> rewrite = new java.util.TreeSet<>();
        for (int p = 0; p < fate.length; p++) {
            for (int f : index.filesOf(p)) {
                if (fate[p] != KEEP || f < 0) {
                    rewrite.add(f);
                }
            }
        }
        List<Integer> small = new ArrayList<>();
        for (int f = 0; f < blobsOfFile.length; f++) {
            if (blobsOfFile[f] < SMALL_INDEX_FILE) {
                small.add(f);
            }
        }
        if (small.size() > 1) {
            rewrite.addAll(small);
        }
        return rewrite;
    }

    /**
     * Writes the kept blobs of the files in {@code rewrite}, and the packs {@code first} names, into
     * new index files of bounded size; returns their keys.
     */
    private List<String> rewriteIndexFiles(Index index, byte[] fate, Set<Integer> rewrite, Map<BlobId, List<PackWriter.Entry>> first) {
        List<String> written = new ArrayList<>();
        Map<BlobId, List<PackWriter.Entry>> batch = new LinkedHashMap<>(first);
        int[] inBatch = {first.values().stream().mapToInt(List::size).sum()};
        if (rewrite.isEmpty()) {
            if (!batch.isEmpty()) {
                written.add(repository.writeIndexFile(batch));
            }
            return written;
        }
        boolean[] chosen = new boolean[index.fileCount() + 1];
        rewrite.forEach(f -> chosen[f + 1] = true);
        index.forEachEntry((id, l, pack, file) -> {
            if (pack < fate.length && fate[pack] == KEEP && chosen[file + 1]) {
                batch.computeIfAbsent(l.pack(), k -> new ArrayList<>()).add(new PackWriter.Entry(id, l.type(), l.offset(), l.length(), l.rawLength()));
                if (++inBatch[0] >= Repository.INDEX_FILE_BLOBS) {
                    written.add(repository.writeIndexFile(batch));
                    batch.clear();
                    inBatch[0] = 0;
                }
            }
        });
        if (!batch.isEmpty()) {
            written.add(repository.writeIndexFile(batch));
        }
        return written;
    }
}
