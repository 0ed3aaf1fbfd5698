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
        return check(needed::iterator, depth);
    }

    /**
     * As above, for blobs too many to hold: {@code needed} gives them (repeats allowed) once to find
     * the packs to read, and once more only when a pack is missing or damaged, to name the blobs
     * of theirs that are needed. What is held is one entry per pack and per damaged blob, however
     * many blobs are needed (a set of 200,000 ids did not fit beside the index in a 64 MiB heap).
     * At {@link Depth#BLOBS} every blob of a needed pack is opened, a superset of the needed.
     */
    public Map<BlobId, String> check(java.util.function.Supplier<java.util.Iterator<BlobId>> needed, Depth depth) {
        Map<BlobId, String> damaged = new LinkedHashMap<>();
        Set<BlobId> packs = new java.util.HashSet<>();
        // Packs are read and hashed on all cores, and on a remote store several downloads at once: a restore waits for this
        // before it writes anything. Each is checked as soon as the walk first meets it, so reading the packs overlaps
        // reading the tree (which took a cold restore of 8,600 files 0.25 s before the first pack was read).
        Map<BlobId, String> badPacks = new java.util.concurrent.ConcurrentHashMap<>();
        Map<BlobId, String> badBlobs = new java.util.concurrent.ConcurrentHashMap<>();
        // A pack is hashed as it streams in, so as many download at once as the store's transfer threads allow, whatever the
        // heap (held whole, as they were before, a 192 MiB heap let two download at once from an S3-like store); only a pack
        // that must be opened (depth BLOBS, or a damaged one) is held whole, and no more of those than the heap has room for.
        int threads = Math.max(Math.max(2, Runtime.getRuntime().availableProcessors()), repository.options().transferThreads());
        java.util.concurrent.Semaphore whole = new java.util.concurrent.Semaphore(Math.min(threads, PackWriter.fitInHeap(Runtime.getRuntime().maxMemory())));
        try (dev.athena.concurrent.Parallel.Feed<BlobId> checks = dev.athena.concurrent.Parallel.feed("athena-verify", threads,
                pack -> checkPack(pack, depth, whole, badPacks, badBlobs))) {
            for (java.util.Iterator<BlobId> it = needed.get(); it.hasNext(); ) {
                BlobId id = it.next();
                BlobLocation loc = repository.locate(id);
                if (loc == null) {
                    damaged.put(id, "in no index: its data is missing");
                } else if (packs.add(loc.pack())) {
                    checks.submit(loc.pack());
                }
            }
            checks.finish();
        }
        if (!badPacks.isEmpty() || !badBlobs.isEmpty()) {
            Map<BlobId, String> found = new java.util.TreeMap<>();
            for (java.util.Iterator<BlobId> it = needed.get(); it.hasNext(); ) {
                BlobId id = it.next();
                BlobLocation loc = repository.locate(id);
                String why = loc == null ? null : badBlobs.getOrDefault(id, badPacks.get(loc.pack()));
                if (why != null) {
                    found.put(id, why);
                }
            }
            damaged.putAll(found);
        }
        return damaged;
    }

    /**
     * Reads one pack whole. A pack whose hash matches its name holds what was written; at
     * {@link Depth#BLOBS} its blobs are opened all the same. A pack that does not match has each
     * blob the index places in it checked, so that damage elsewhere in it (another blob, the
     * header) leaves them readable, and verify can say which files are affected.
     */
    private void checkPack(BlobId pack, Depth depth, java.util.concurrent.Semaphore whole, Map<BlobId, String> badPacks,
                           Map<BlobId, String> badBlobs) {
        if (depth == Depth.PACKS) {
            if (repository.alreadyIntact(pack) >= 0) {
                return;
            }
            try {
                long length = streamedLength(pack);
                if (length >= 0) {
                    repository.packIntact(pack, length);
                    return;
                }
            } catch (ObjectNotFoundException e) {
                badPacks.put(pack, "pack " + pack.shortHex() + " is missing");
                return;
            } catch (java.io.IOException | RuntimeException e) {
                // A stream broken midway (a reset connection, a store's client error): read the pack whole below, as a
                // whole read is retried; if that fails too, its error is the one reported.
            }
        }
        whole.acquireUninterruptibly();
        try {
            checkWholePack(pack, depth, badPacks, badBlobs);
        } finally {
            whole.release();
        }
    }

    /** The pack's length when its bytes, hashed as they stream in, match its name; -1 when they do not. */
    private long streamedLength(BlobId pack) throws java.io.IOException {
        try (java.io.InputStream in = repository.store().open(repository.layout().pack(pack))) {
            BlobId.Streamed read = BlobId.of(in);
            return read.id().equals(pack) ? read.length() : -1;
        }
    }

    private void checkWholePack(BlobId pack, Depth depth, Map<BlobId, String> badPacks, Map<BlobId, String> badBlobs) {
        byte[] bytes;
        try {
            bytes = repository.store().get(repository.layout().pack(pack));
        } catch (ObjectNotFoundException e) {
            badPacks.put(pack, "pack " + pack.shortHex() + " is missing");
            return;
        }
        boolean packIntact = BlobId.of(bytes).equals(pack);
        if (packIntact) {
            repository.packIntact(pack, bytes.length);
        }
        if (packIntact && depth == Depth.PACKS) {
            return;
        }
        List<PackWriter.Entry> blobs;
        if (packIntact) {
            try {
                blobs = PackReader.header(bytes, repository.envelope());
            } catch (CorruptDataException e) {
                badPacks.put(pack, "pack " + pack.shortHex() + " has a damaged header: " + e.getMessage());
                return;
            }
        } else {
            blobs = repository.index().inPack(pack);
        }
        for (PackWriter.Entry blob : blobs) {
            try {
                if (blob.offset() + blob.length() > bytes.length) {
                    throw new CorruptDataException("pack is truncated");
                }
                byte[] sealed = java.util.Arrays.copyOfRange(bytes, (int) blob.offset(), (int) blob.offset() + blob.length());
                PackReader.blob(sealed, blob.id(), blob.rawLength(), repository.envelope());
            } catch (CorruptDataException ex) {
                badBlobs.put(blob.id(), "damaged in pack " + pack.shortHex() + ": " + ex.getMessage());
            }
        }
    }

    /** What a check of whole packs found: packs missing or unreadable as a whole, and single blobs damaged inside packs. */
    public record PackDamage(Map<BlobId, String> packs, Map<BlobId, String> blobs) {
        public boolean none() {
            return packs.isEmpty() && blobs.isEmpty();
        }
    }

    /**
     * Reads each of these packs whole and checks its hash (rolling verification reads a share of
     * them per run); a pack that does not match has each of its blobs opened, so the damage is
     * named blob by blob.
     */
    public PackDamage checkPacks(Collection<BlobId> packs) {
        Map<BlobId, String> badPacks = new java.util.concurrent.ConcurrentHashMap<>();
        Map<BlobId, String> badBlobs = new java.util.concurrent.ConcurrentHashMap<>();
        int threads = Math.max(Math.max(2, Runtime.getRuntime().availableProcessors()), repository.options().transferThreads());
        java.util.concurrent.Semaphore whole = new java.util.concurrent.Semaphore(Math.min(threads, PackWriter.fitInHeap(Runtime.getRuntime().maxMemory())));
        try (dev.athena.concurrent.Parallel.Feed<BlobId> checks = dev.athena.concurrent.Parallel.feed("athena-verify", threads,
                pack -> checkPack(pack, Depth.PACKS, whole, badPacks, badBlobs))) {
            packs.forEach(checks::submit);
            checks.finish();
        }
        return new PackDamage(new java.util.TreeMap<>(badPacks), new java.util.TreeMap<>(badBlobs));
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
