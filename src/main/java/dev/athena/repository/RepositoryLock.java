package dev.athena.repository;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.athena.concurrent.Parallel;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.storage.ReadOnlyStorageException;
import dev.athena.storage.StoredObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock object in the store, as restic keeps them: backups, restores and verifies hold shared
 * locks, prune an exclusive one. A holder refreshes its lock every few minutes; a lock not
 * refreshed for {@link #STALE_AFTER}, or held by a process on this host that no longer runs, was
 * left by a crash and is removed by the next one who needs the repository.
 */
public final class RepositoryLock implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RepositoryLock.class);
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);
    static final Duration REFRESH_EVERY = Duration.ofMinutes(5);

    public record LockInfo(boolean exclusive, String hostname, long pid, String purpose, Instant createdAt, Instant refreshedAt) {
    }

    private final Repository repository;
    private final String key;
    private final Clock clock;
    private final ScheduledExecutorService refresher;
    private volatile LockInfo info;

    private RepositoryLock(Repository repository, String key, LockInfo info, Clock clock) {
        this.repository = repository;
        this.key = key;
        this.info = info;
        this.clock = clock;
        if (key == null) {
            this.refresher = null;
            return;
        }
        this.refresher = Executors.newSingleThreadScheduledExecutor(Parallel.daemons("athena-lock-refresh"));
        refresher.scheduleAtFixedRate(this::refresh, REFRESH_EVERY.toSeconds(), REFRESH_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    public static RepositoryLock shared(Repository repository, String purpose) {
        return acquire(repository, false, purpose, Clock.systemUTC());
    }

    /**
     * A shared lock for a command that only reads (a restore, a verify). On a location that refuses
     * writes (a read-only mount of the backups in the recovery cluster) no lock can be written:
     * the command reads without one, with a warning, rather than not restoring at all.
     */
    public static RepositoryLock sharedForReading(Repository repository, String purpose) {
        try {
            return shared(repository, purpose);
        } catch (ReadOnlyStorageException e) {
            log.warn("the backup location is read-only, so {} runs without a lock: do not prune these backups from elsewhere meanwhile ({})",
                    purpose, e.getMessage());
            Instant now = Clock.systemUTC().instant();
            return new RepositoryLock(repository, null, new LockInfo(false, hostname(), ProcessHandle.current().pid(), purpose, now, now),
                    Clock.systemUTC());
        }
    }

    public static RepositoryLock exclusive(Repository repository, String purpose) {
        return acquire(repository, true, purpose, Clock.systemUTC());
    }

    static RepositoryLock acquire(Repository repository, boolean exclusive, String purpose, Clock clock) {
        checkConflicts(repository, exclusive, null, clock);
        Instant now = clock.instant();
        LockInfo info = new LockInfo(exclusive, hostname(), ProcessHandle.current().pid(), purpose, now, now);
        String key = repository.layout().lock(UUID.randomUUID().toString());
        repository.store().put(key, repository.envelope().seal(Json.write(info)));
        try {
            // Two processes may have checked at the same moment: look again now that ours is visible.
            checkConflicts(repository, exclusive, key, clock);
        } catch (RepositoryLockedException e) {
            repository.store().delete(key);
            throw e;
        }
        return new RepositoryLock(repository, key, info, clock);
    }

    private static void checkConflicts(Repository repository, boolean exclusive, String own, Clock clock) {
        for (StoredObject o : repository.store().list(repository.layout().lockFolder())) {
            if (o.key().equals(own)) {
                continue;
            }
            LockInfo other;
            try {
                other = Json.read(repository.envelope().open(repository.store().get(o.key())), LockInfo.class, "lock " + o.key());
            } catch (ObjectNotFoundException e) {
                continue;
            } catch (CorruptDataException e) {
                log.warn("removing unreadable lock {}: {}", o.key(), e.getMessage());
                repository.store().delete(o.key());
                continue;
            }
            if (isStale(other, clock)) {
                log.warn("removing stale lock of {} (pid {} on {}, last refreshed {})", other.purpose(), other.pid(), other.hostname(), other.refreshedAt());
                repository.store().delete(o.key());
                continue;
            }
            if (exclusive || other.exclusive()) {
                throw new RepositoryLockedException("repository of namespace " + repository.namespace() + " is locked by " + other.purpose()
                        + " (pid " + other.pid() + " on " + other.hostname() + ", since " + other.createdAt() + "); try again when it ends");
            }
        }
    }

    static boolean isStale(LockInfo lock, Clock clock) {
        if (lock.refreshedAt() == null || lock.refreshedAt().plus(STALE_AFTER).isBefore(clock.instant())) {
            return true;
        }
        return hostname().equals(lock.hostname()) && ProcessHandle.of(lock.pid()).isEmpty();
    }

    private void refresh() {
        try {
            info = new LockInfo(info.exclusive(), info.hostname(), info.pid(), info.purpose(), info.createdAt(), clock.instant());
            repository.store().put(key, repository.envelope().seal(Json.write(info)));
        } catch (RuntimeException e) {
            log.warn("cannot refresh lock {}: {}", key, e.getMessage());
        }
    }

    /** This host's name, as recorded in locks and manifests. */
    public static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }

    @Override
    public void close() {
        if (key == null) {
            return;
        }
        refresher.shutdownNow();
        repository.store().delete(key);
    }
}
