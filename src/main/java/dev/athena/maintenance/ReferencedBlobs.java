package dev.athena.maintenance;

import dev.athena.repository.BlobId;
import dev.athena.repository.BlobIdSet;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.TreeReader;

/** Every blob that the existing backups of a namespace refer to: their trees and their files' chunks. */
final class ReferencedBlobs {
    private ReferencedBlobs() {
    }

    static BlobIdSet of(Repository repository) {
        BlobIdSet used = new BlobIdSet(repository.options().spillFolder());
        for (String ts : repository.timestamps()) {
            Manifest m;
            try {
                m = repository.readManifest(ts);
            } catch (RuntimeException e) {
                // Its data would look unreferenced and be deleted: nothing is pruned until the operator decides.
                throw new IllegalStateException("prune refused, nothing was deleted: " + e.getMessage()
                        + "; put the object back, or remove that backup with 'athena forget --timestamp " + ts + "'", e);
            }
            for (Manifest.ComponentSnapshot c : m.components().values()) {
                c.treeIds().forEach(used::add);
                for (TreeReader r = new TreeReader(repository, c.treeIds()); r.hasNext(); ) {
                    TreeEntry e = r.next();
                    if (e.chunks() != null) {
                        e.chunks().forEach(id -> used.add(BlobId.parse(id)));
                    }
                }
            }
        }
        return used;
    }
}
