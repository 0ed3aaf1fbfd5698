package dev.athena.restore;

import java.io.IOException;
import java.nio.file.Path;

import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import dev.athena.storage.DownloadCache;
import dev.athena.storage.ObjectStore;

/**
 * The repository a restore reads. From a remote store (S3) it goes through a {@link
 * DownloadCache} in the scratch folder, so each pack crosses the network once although the
 * restore reads it twice (whole for the pre-restore check, then by blob); a local store is read
 * directly. Closing removes the cached copies.
 */
public final class RestoreSource implements AutoCloseable {
    private final Repository repository;
    private final DownloadCache cache;

    private RestoreSource(Repository repository, DownloadCache cache) {
        this.repository = repository;
        this.cache = cache;
    }

    public static RestoreSource open(ObjectStore store, boolean remote, String namespace, String encryptionKey, Path scratch,
                                     Repository.Options options) throws IOException {
        if (!remote) {
            return new RestoreSource(Repository.open(store, namespace, encryptionKey, false, options), null);
        }
        String packs = new RepositoryLayout(namespace).packFolder();
        DownloadCache cache = new DownloadCache(store, scratch, key -> key.startsWith(packs), DownloadCache.defaultReserve(scratch));
        try {
            return new RestoreSource(Repository.open(cache, namespace, encryptionKey, false, options), cache);
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    public Repository repository() {
        return repository;
    }

    @Override
    public void close() {
        if (cache != null) {
            cache.close();
        }
    }
}
