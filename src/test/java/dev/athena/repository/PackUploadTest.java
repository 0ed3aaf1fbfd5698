package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.StorageException;
import dev.athena.testing.Trees;

/** Packs uploaded on threads of their own: every one is there before the manifest, and a failed one fails the backup. */
class PackUploadTest {
    @TempDir
    Path tmp;

    /** Fault injection: the n-th pack upload fails. */
    static final class FailingPuts extends ForwardingStore {
        private final int failAt;
        final AtomicInteger packs = new AtomicInteger();

        FailingPuts(ObjectStore inner, int failAt) {
            super(inner);
            this.failAt = failAt;
        }

        @Override
        public void put(String key, byte[] data, int length) {
            if (key.contains("/repository/data/") && packs.incrementAndGet() == failAt) {
                throw new StorageException("injected fault uploading " + key, null);
            }
            super.put(key, data, length);
        }
    }

    private Path tree() throws Exception {
        return Trees.randomFiles(tmp.resolve("data"), 20, 4 * 1024 * 1024, 11);
    }

    @Test
    void aBackupOfSeveralPacksRestoresExactly() throws Exception {
        Path data = tree();
        FailingPuts store = new FailingPuts(new LocalStore(tmp.resolve("repo")), Integer.MAX_VALUE);
        Repository repo = Repository.open(store, "app", null, true);
        new BackupCommand(repo).volume("data", data).timestamp("2023-02-02t16-00-00").call();
        assertThat(store.packs.get()).as("packs uploaded").isGreaterThanOrEqualTo(5);
        new RestoreCommand(Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, false), "2023-02-02t16-00-00")
                .volume("data", tmp.resolve("restored")).call();
        Trees.assertSameTree(data, tmp.resolve("restored"));
    }

    @Test
    void aFailedPackUploadFailsTheBackupAndNoManifestIsWritten() throws Exception {
        Path data = tree();
        FailingPuts store = new FailingPuts(new LocalStore(tmp.resolve("repo")), 2);
        Repository repo = Repository.open(store, "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).volume("data", data).timestamp("2023-02-02t16-00-00").call())
                .hasMessageContaining("injected fault uploading");
        assertThat(store.exists(repo.layout().manifest("2023-02-02t16-00-00"))).isFalse();
        assertThat(repo.timestamps()).isEmpty();
    }

    @Test
    void packsHeldAtOnceFitInAThirdOfTheHeap() {
        long mib = 1024 * 1024;
        assertThat(PackWriter.fitInHeap(192 * mib)).isEqualTo(3);
        assertThat(PackUploader.affordable(4, 192 * mib, PackWriter.MAX_BYTES)).as("in flight beside the one filling, at -Xmx192m").isEqualTo(2);
        assertThat(PackUploader.affordable(4, 6 * 1024 * mib, PackWriter.MAX_BYTES)).as("as many as asked for on a large heap").isEqualTo(4);
        assertThat(PackUploader.affordable(4, 48 * mib, PackWriter.MAX_BYTES)).as("a tiny heap uploads on the filling thread").isZero();
        WriteBudget small = WriteBudget.forHeap(64 * mib);
        assertThat(small.packTarget()).as("packs filled at -Xmx64m").isEqualTo(4 * mib);
        assertThat(PackUploader.affordable(4, 64 * mib, small.packBytes())).as("one pack of that size in flight at -Xmx64m").isEqualTo(1);
        assertThat(WriteBudget.forHeap(6 * 1024 * mib).packTarget()).as("packs on a large heap").isEqualTo(16 * mib);
        assertThat(PackWriter.fitInHeap(16 * mib)).as("the pre-restore check reads one pack at least").isEqualTo(1);
    }

    @Test
    void anErrorOnAnUploadThreadFailsTheWaitInsteadOfLosingThePack() {
        PackUploader uploader = new PackUploader(2, 6L * 1024 * 1024 * 1024, PackWriter.MAX_BYTES);
        uploader.reserve();
        uploader.submit(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertThatThrownBy(uploader::await).isInstanceOf(RepositoryException.class).hasMessageContaining("Java heap space");
        uploader.close();
    }
}
