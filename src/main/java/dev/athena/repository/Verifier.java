package dev.athena.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.athena.storage.ObjectNotFoundException;

/**
 * Checks that blobs can be read back intact. Two depths: {@link Depth#PACKS} reads each pack whole
 * and compares its SHA-256 with its name (every byte covered, nothing decrypted);
 * {@link Depth#BLOBS} also opens every blob and checks its own hash, naming exactly which are bad.
 */
public final class Verifier {
    public enum Depth { PACKS, BLOBS }

    private final Repository repository;

    public Verifier(Repository repository) {
        this.repository = repository;
    }

    /** The damaged blobs among {@code needed}, each with what is wrong; empty when all are intact. */
    public Map<BlobId, String> check(Collection<BlobId> needed, Depth depth) {
        Map<BlobId, String> damaged = new LinkedHashMap<>();
        Map<BlobId, List<BlobId>> byPack = new HashMap<>();
        for (BlobId id : needed) {
            BlobLocation loc = repository.locate(id);
            if (loc == null) {
                damaged.put(id, "in no index: its data is missing");
            } else {
                byPack.computeIfAbsent(loc.pack(), k -> new ArrayList<>()).add(id);
            }
        }
        // Packs are read and hashed on all cores, and on a remote store several downloads at once: a restore waits for this
        // before it writes anything.
        Map<BlobId, String> found = new java.util.concurrent.ConcurrentHashMap<>();
        // Each thread holds a whole pack, so no more than the heap has room for.
        int threads = Math.min(Math.max(Math.max(2, Runtime.getRuntime().availableProcessors()), repository.options().transferThreads()),
                PackWriter.fitInHeap(Runtime.getRuntime().maxMemory()));
        dev.athena.concurrent.Parallel.forEach("athena-verify", threads, byPack.entrySet(),
                e -> checkPack(e.getKey(), e.getValue(), depth, found));
        damaged.putAll(new java.util.TreeMap<>(found));
        return damaged;
    }

    private void checkPack(BlobId pack, List<BlobId> blobs, Depth depth, Map<BlobId, String> damaged) {
        byte[] bytes;
        try {
            bytes = repository.store().get(repository.layout().pack(pack));
        } catch (ObjectNotFoundException e) {
            blobs.forEach(b -> damaged.put(b, "pack " + pack.shortHex() + " is missing"));
            return;
        }
        boolean packIntact = BlobId.of(bytes).equals(pack);
        if (packIntact) {
            repository.countVerified(bytes.length);
        }
        if (packIntact && depth == Depth.PACKS) {
            return;
        }
        if (depth == Depth.BLOBS && packIntact) {
            try {
                PackReader.header(bytes, repository.envelope());
            } catch (CorruptDataException e) {
                blobs.forEach(b -> damaged.put(b, "pack " + pack.shortHex() + " has a damaged header: " + e.getMessage()));
                return;
            }
        }
        // Damage outside the blobs needed here (another blob, the header) leaves them readable.
        // Name the blobs that are bad, so verify can say which files are affected, not just "pack damaged".
        for (BlobId id : blobs) {
            BlobLocation loc = repository.locate(id);
            try {
                if (loc.offset() + loc.length() > bytes.length) {
                    throw new CorruptDataException("pack is truncated");
                }
                byte[] sealed = java.util.Arrays.copyOfRange(bytes, (int) loc.offset(), (int) loc.offset() + loc.length());
                PackReader.blob(sealed, id, loc.rawLength(), repository.envelope());
            } catch (CorruptDataException ex) {
                damaged.put(id, "damaged in pack " + pack.shortHex() + ": " + ex.getMessage());
            }
        }
    }

    /** Every pack the index names that is missing from the store. */
    public Set<BlobId> missingPacks() {
        Set<BlobId> present = new java.util.HashSet<>();
        for (var o : repository.store().list(repository.layout().packFolder())) {
            BlobId id = repository.layout().packIdOf(o.key());
            if (id != null) {
                present.add(id);
            }
        }
        Set<BlobId> missing = new java.util.TreeSet<>(repository.index().packs());
        missing.removeAll(present);
        return missing;
    }
}
