package dev.athena.backup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.storage.StoredObject;

/**
 * Claims a backup's name (its timestamp) in the store before anything of the backup is written, so
 * two writers on one location and namespace (a second cluster configured with the first one's
 * namespace, or a CLI beside the service) never share a timestamp: before, both were told
 * {@code Success} and the later manifest replaced the earlier.
 *
 * <p>The protocol needs only what every store gives: a write, then a listing that shows every
 * write completed before it (S3 has been strongly consistent since 2020; a local folder is). A
 * writer looks in the backup's folder; if it is empty, it writes {@code claim-<random id>} there
 * and lists the folder again. It owns the name only if that listing shows nothing but its own
 * claim; otherwise it deletes its claim and takes the next second. Two writers cannot both win:
 * each one's listing follows its own write, so whichever listed last must see the other's claim.
 * Both may lose in a close race; they then move on to the next second. No clock agreement is
 * needed, and a writer that crashes leaves at worst a name that is never used.
 */
public final class BackupNames {
    /** How many seconds a writer moves forward before it gives up. */
    static final int MAX_TRIES = 120;

    private BackupNames() {
    }

    /** Claims exactly {@code timestamp}; false when it is taken (a backup, or another writer's claim, is there). */
    public static boolean claim(Repository repository, String timestamp) {
        String folder = repository.layout().backupFolder(timestamp);
        if (!repository.store().list(folder).isEmpty()) {
            return false;
        }
        String own = repository.layout().claim(timestamp, UUID.randomUUID().toString());
        repository.putSealed(own, Json.write(Map.of("host", RepositoryLock.hostname(), "pid", ProcessHandle.current().pid(),
                "claimedAt", Instant.now().toString())));
        List<StoredObject> there = repository.store().list(folder);
        if (there.size() == 1 && there.get(0).key().equals(own)) {
            return true;
        }
        repository.store().delete(own);
        return false;
    }

    /** Claims the first free second at or after {@code from}, and returns its timestamp. */
    public static String claimFrom(Repository repository, Instant from) {
        Instant t = from;
        for (int i = 0; i < MAX_TRIES; i++, t = t.plusSeconds(1)) {
            String ts = Timestamps.of(t);
            if (claim(repository, ts)) {
                return ts;
            }
        }
        throw new BackupException("no free backup name in the " + MAX_TRIES + " seconds from " + Timestamps.of(from)
                + " in namespace " + repository.namespace() + ": is another writer creating backups in a loop?", null);
    }
}
