package dev.athena.backup;

import java.time.Instant;
import java.util.Map;

import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

/**
 * Claims a backup's name (its timestamp) in the store before anything of the backup is written, so
 * two writers on one location and namespace (a second cluster configured with the first one's
 * namespace, or a CLI beside the service) never share a timestamp: before, both were told
 * {@code Success} and the later manifest replaced the earlier.
 *
 * <p>A writer looks in the backup's folder; if it is empty, it claims the name there with the
 * repository's claim-and-list protocol ({@code claim-<random id>}, then a listing); if the name is
 * taken, or another writer claimed it at the same moment, it takes the next second. No clock
 * agreement is needed, and a writer that crashes leaves at worst a name that is never used.
 */
public final class BackupNames {
    /** How many seconds a writer moves forward before it gives up. */
    static final int MAX_TRIES = 120;

    private BackupNames() {
    }

    /** Claims exactly {@code timestamp}; false when it is taken (a backup, or another writer's claim, is there). */
    public static boolean claim(Repository repository, String timestamp) {
        return repository.claimBackupName(timestamp, Json.write(Map.of("host", RepositoryLock.hostname(),
                "pid", ProcessHandle.current().pid(), "claimedAt", Instant.now().toString())));
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
