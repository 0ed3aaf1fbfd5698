package dev.athena.repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.athena.storage.StoredObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes data that no kept backup references. The caller holds the exclusive lock and passes the
 * blobs still in use. Packs with no live blob are deleted; packs that are mostly dead have their live
 * blobs copied (and checked) into new packs first. The order keeps every live blob reachable at
 * every moment: new packs, then the new index, then old index files, then old packs.
 */
public final class Pruner {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    /** Repack a pack when at least this share of its bytes is dead. */
    static final double REPACK_THRESHOLD = 0.25;

    public record Result(int packsDeleted, int packsRepacked, int orphanPacksDeleted, long bytesFreed, int blobsRemoved, int blobsKept) {
    }

    private final Repository repository;

    public Pruner(Repository repository) {
        this.repository = repository;
    }

    public Result prune(BlobIdSet used) {
        // A damaged index file would make its packs look unreferenced: rebuild from their headers first.
        if (!repository.damagedIndexFiles().isEmpty()) {
            repository.repairIndex();
        }
        Map<BlobId, PackWriter.Entry> unused = new HashMap<>();
        Map<BlobId, List<PackWriter.Entry>> kept = new HashMap<>();
        List<BlobId> deletePacks = new ArrayList<>();
        int repacked = 0;
        int removedBlobs = 0;
        long freed = 0;
        for (var pack : repository.index().byPack().entrySet()) {
            long live = 0;
            long dead = 0;
            List<PackWriter.Entry> entries = new ArrayList<>();
            for (var e : pack.getValue()) {
                BlobLocation l = e.getValue();
                entries.add(new PackWriter.Entry(e.getKey(), l.type(), l.offset(), l.length(), l.rawLength()));
                if (used.contains(e.getKey())) {
                    live += l.length();
                } else {
                    dead += l.length();
                }
            }
            if (dead == 0) {
                kept.put(pack.getKey(), entries);
            } else if (live == 0) {
                deletePacks.add(pack.getKey());
                removedBlobs += entries.size();
                freed += dead;
            } else if ((double) dead / (live + dead) >= REPACK_THRESHOLD) {
                for (PackWriter.Entry e : entries) {
                    if (used.contains(e.id())) {
                        repository.rewrite(e.type(), repository.load(e.id()));
                    } else {
                        removedBlobs++;
                    }
                }
                deletePacks.add(pack.getKey());
                repacked++;
                freed += dead;
            } else {
                kept.put(pack.getKey(), entries);
            }
        }
        kept.putAll(repository.flushPacks());
        int keptBlobs = kept.values().stream().mapToInt(List::size).sum();
        if (!deletePacks.isEmpty() || repository.indexFiles().size() > 1) {
            repository.replaceIndex(kept);
        }
        for (BlobId pack : deletePacks) {
            repository.store().delete(repository.layout().pack(pack));
        }
        // Packs no index names were left by a backup that died before writing its index.
        Set<BlobId> indexed = new HashSet<>(kept.keySet());
        int orphans = 0;
        for (StoredObject o : repository.store().list(repository.layout().packFolder())) {
            BlobId id = repository.layout().packIdOf(o.key());
            if (id != null && !indexed.contains(id) && !deletePacks.contains(id)) {
                repository.store().delete(o.key());
                orphans++;
                freed += o.size();
            }
        }
        Result r = new Result(deletePacks.size() - repacked, repacked, orphans, freed, removedBlobs, keptBlobs);
        log.info("pruned namespace {}: {}", repository.namespace(), r);
        return r;
    }
}
