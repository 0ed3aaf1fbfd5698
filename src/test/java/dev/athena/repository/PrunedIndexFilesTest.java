package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;

/** Prune rewrites only the index files it changes: the others stay as they are, byte for byte. */
class PrunedIndexFilesTest {
    @TempDir
    Path tmp;

    @Test
    void onlyTheIndexFileNamingADeletedPackIsRewritten() {
        LocalStore store = new LocalStore(tmp.resolve("store"));
        Repository repo = Repository.open(store, "app", "key-for-this-test", true);
        // 60,000 tiny blobs fill three packs of 20,000 (the most a pack holds), each named by an index file of its own.
        for (int i = 0; i < 60_000; i++) {
            repo.save(BlobType.DATA, content(i));
        }
        repo.flush();
        Map<String, Long> before = sizes(store);
        assertThat(before).hasSize(3);
        assertThat(store.list("app/repository/data/")).hasSize(3);

        BlobId dead = BlobId.of(content(0));
        String deadPack = repo.layout().pack(repo.index().find(dead).pack());
        BlobIdSet used = new BlobIdSet(tmp);
        Set<BlobId> usedIds = new HashSet<>();
        for (int i = 0; i < 60_000; i++) {
            BlobId id = BlobId.of(content(i));
            if (!repo.index().find(id).pack().equals(repo.index().find(dead).pack())) {
                used.add(id);
                usedIds.add(id);
            }
        }
        Pruner.Result r = new Pruner(repo).prune(used);

        assertThat(r.packsDeleted()).isEqualTo(1);
        assertThat(r.blobsRemoved()).isEqualTo(20_000);
        assertThat(r.blobsKept()).isEqualTo(40_000);
        assertThat(store.exists(deadPack)).isFalse();
        Map<String, Long> after = sizes(store);
        assertThat(after).hasSize(2);
        assertThat(before).containsAllEntriesOf(after);
        Repository fresh = Repository.open(store, "app", "key-for-this-test", false);
        assertThat(fresh.index().size()).isEqualTo(40_000);
        for (BlobId id : usedIds) {
            assertThat(fresh.index().contains(id)).isTrue();
        }
        assertThat(fresh.index().contains(dead)).isFalse();
    }

    private static Map<String, Long> sizes(LocalStore store) {
        Map<String, Long> out = new HashMap<>();
        for (StoredObject o : store.list("app/repository/index/")) {
            out.put(o.key(), o.size());
        }
        return out;
    }

    private static byte[] content(int i) {
        return ByteBuffer.allocate(24).putInt(i).putInt(~i).putLong(i * 0x9E3779B97F4A7C15L).putLong(7).array();
    }
}
