package dev.athena.maintenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.athena.repository.BlobId;
import dev.athena.repository.BlobIdSet;
import dev.athena.repository.BlobType;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.repository.Verifier;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.TreeReader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies backups of a namespace to a second repository (another folder or bucket: 3-2-1). Blobs
 * are named by the SHA-256 of their content in every repository, so only those the destination
 * lacks are read, opened and stored again, sealed with the destination's own key. The blobs a
 * run writes are flushed and read back from the destination, hash by hash, before the backup's
 * manifest is written there, last: a copy that stops midway leaves no half backup, and the next run carries
 * on with what is missing.
 */
public final class CopyCommand {
    private static final Logger log = LoggerFactory.getLogger(CopyCommand.class);
    private final Repository source;
    private final Repository destination;
    private List<String> timestamps;
    private java.util.function.BooleanSupplier stopRequested = () -> false;

    public CopyCommand(Repository source, Repository destination) {
        this.source = source;
        this.destination = destination;
    }

    /** Only these backups; null (the default) copies every backup of the namespace. */
    public CopyCommand timestamps(List<String> only) {
        this.timestamps = only;
        return this;
    }

    /**
     * Asked between blobs: when true, the copy stops there and {@link Result#stopped()} says so
     * (the service lets a request for a backup or restore go first; the next run carries on).
     */
    public CopyCommand stopWhen(java.util.function.BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /**
     * Per backup: copied (with the blobs and bytes it took), already there, or failed with
     * {@code error} (a damaged backup in the source is reported and the others are still copied).
     */
    public record Copied(String timestamp, boolean alreadyThere, long blobsCopied, long bytesCopied,
                         @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String error) {
        public Copied(String timestamp, boolean alreadyThere, long blobsCopied, long bytesCopied) {
            this(timestamp, alreadyThere, blobsCopied, bytesCopied, null);
        }

        public boolean failed() {
            return error != null;
        }
    }

    /** {@code stopped}: it stopped when asked to, before the backups after the last one listed. */
    public record Result(List<Copied> backups, boolean stopped) {
        public List<Copied> failures() {
            return backups.stream().filter(Copied::failed).toList();
        }

        public long blobsCopied() {
            return backups.stream().mapToLong(Copied::blobsCopied).sum();
        }

        public long bytesCopied() {
            return backups.stream().mapToLong(Copied::bytesCopied).sum();
        }
    }

    public Result call() {
        List<String> all = source.timestamps();
        List<String> chosen = timestamps == null ? all : timestamps;
        for (String ts : chosen) {
            if (!all.contains(ts)) {
                throw new IllegalArgumentException("no backup " + ts + " in namespace " + source.namespace() + " to copy (athena list shows them)");
            }
        }
        List<Copied> out = new ArrayList<>();
        boolean stopped = false;
        try (RepositoryLock reading = RepositoryLock.sharedForReading(source, "copy");
             RepositoryLock writing = RepositoryLock.shared(destination, "copy")) {
            // Oldest first: each backup finds the data it shares with the one before already there.
            for (String ts : all.stream().filter(chosen::contains).toList()) {
                try {
                    out.add(copy(ts));
                } catch (Stopped e) {
                    stopped = true;
                    log.info("copy: stopped before backup {} was complete, as asked; the next run carries on", ts);
                    break;
                } catch (dev.athena.repository.CorruptDataException e) {
                    // Damage in the source stays with its backup: the others are still copied.
                    log.error("copy: backup {} was not copied: {}", ts, e.getMessage());
                    out.add(new Copied(ts, false, 0, 0, e.getMessage()));
                }
            }
        } finally {
            destination.close();
        }
        return new Result(out, stopped);
    }

    /** Thrown between blobs when {@link #stopWhen} says to stop. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped", null, false, false);
        }
    }

    private Copied copy(String ts) {
        if (destination.store().exists(destination.layout().manifest(ts))) {
            log.info("copy: backup {} is already at the destination", ts);
            return new Copied(ts, true, 0, 0);
        }
        Manifest m = source.readManifest(ts);
        destination.progress().phase("copying " + ts);
        BlobIdSet needed = new BlobIdSet(destination.options().spillFolder());
        BlobIdSet written = new BlobIdSet(destination.options().spillFolder());
        long[] copied = new long[2];
        try {
            for (Map.Entry<String, Manifest.ComponentSnapshot> c : m.components().entrySet()) {
                destination.progress().componentStarted(c.getKey());
                for (BlobId tree : c.getValue().treeIds()) {
                    copyBlob(BlobType.TREE, tree, needed, written, copied);
                }
                for (TreeReader r = new TreeReader(source, c.getValue().treeIds()); r.hasNext(); ) {
                    TreeEntry e = r.next();
                    if (e.chunks() != null) {
                        for (String chunk : e.chunks()) {
                            copyBlob(BlobType.DATA, BlobId.parse(chunk), needed, written, copied);
                        }
                    }
                }
                destination.progress().componentEnded(c.getKey());
            }
        } catch (Stopped e) {
            // What was sent is kept, stored and indexed (no manifest names it yet), so the next run
            // does not send it again; it is read back now, since the next run will take it as there.
            destination.flush();
            verifyWritten(ts, written);
            throw e;
        }
        destination.flush();
        // What this run wrote is read back before the backup exists there. What the destination held
        // already was read back by the run that wrote it, as a backup trusts the data it deduplicates against.
        verifyWritten(ts, written);
        copyStatusRecord(ts);
        destination.writeManifest(m);
        log.info("copy: backup {} copied, {} blobs ({} bytes) new at the destination", ts, copied[0], copied[1]);
        return new Copied(ts, false, copied[0], copied[1]);
    }

    private void verifyWritten(String ts, BlobIdSet written) {
        destination.progress().phase("verifying the copy of " + ts);
        Map<BlobId, String> damaged = new Verifier(destination).check(() -> iterator(written), Verifier.Depth.BLOBS);
        if (!damaged.isEmpty()) {
            Map.Entry<BlobId, String> first = damaged.entrySet().iterator().next();
            throw new IllegalStateException("the copy of backup " + ts + " does not read back: " + damaged.size() + " blobs damaged, the first "
                    + first.getKey().hex() + ": " + first.getValue() + "; nothing of it was published, run copy again");
        }
    }

    private void copyBlob(BlobType type, BlobId id, BlobIdSet needed, BlobIdSet written, long[] copied) {
        if (needed.contains(id)) {
            return;
        }
        if (stopRequested.getAsBoolean()) {
            throw new Stopped();
        }
        needed.add(id);
        if (destination.has(id)) {
            return;
        }
        byte[] data = source.load(id);
        BlobId stored = destination.save(type, data);
        if (!stored.equals(id)) {
            throw new dev.athena.repository.CorruptDataException("blob " + id.hex() + " of the source reads back as " + stored.hex()
                    + ": the source is damaged there (athena verify finds what else is)");
        }
        written.add(id);
        destination.progress().addBytes(data.length);
        copied[0]++;
        copied[1] += data.length;
    }

    /** The service's record of the backup (its status and request counts), when it has one; CLI backups have none. */
    private void copyStatusRecord(String ts) {
        try {
            destination.putSealed(destination.layout().status(ts), source.getSealed(source.layout().status(ts)));
        } catch (ObjectNotFoundException e) {
            // made by the CLI: the manifest alone describes it
        }
    }

    private static Iterator<BlobId> iterator(BlobIdSet set) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < set.size();
            }

            @Override
            public BlobId next() {
                return set.get(next++);
            }
        };
    }
}
