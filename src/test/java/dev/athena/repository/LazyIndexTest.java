package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;

/**
 * Opening a repository reads its config, not its index: the index files are read at the first
 * lookup, so what never looks a blob up (a service's job records, a listing) does not pay for them.
 */
class LazyIndexTest {
    @TempDir
    Path tmp;

    /** Remembers every key read and every prefix listed. */
    static final class Recording extends ForwardingStore {
        final List<String> reads = new CopyOnWriteArrayList<>();

        Recording(Path root) {
            super(new LocalStore(root));
        }

        @Override
        public byte[] get(String key) {
            reads.add(key);
            return inner.get(key);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            reads.add("LIST " + prefix);
            return inner.list(prefix);
        }
    }

    @Test
    void theIndexIsReadAtTheFirstLookupNotAtOpen() {
        BlobId id;
        try (Repository r = Repository.open(new LocalStore(tmp), "ns", "a key of sixteen+ chars", true)) {
            id = r.save(BlobType.DATA, "some content".getBytes(StandardCharsets.UTF_8));
            r.flush();
        }
        Recording store = new Recording(tmp);
        try (Repository r = Repository.open(store, "ns", "a key of sixteen+ chars", false)) {
            assertThat(store.reads).as("read at open").noneMatch(k -> k.contains("index"));
            assertThat(new String(r.load(id), StandardCharsets.UTF_8)).isEqualTo("some content");
            assertThat(store.reads).as("read at the first lookup").anyMatch(k -> k.startsWith("LIST ") && k.contains("index"))
                    .anyMatch(k -> !k.startsWith("LIST ") && k.contains("/index/"));
            int afterFirst = store.reads.size();
            assertThat(r.has(id)).isTrue();
            assertThat(store.reads).as("read once, not at every lookup").hasSize(afterFirst);
        }
    }

    @Test
    void aBlobSavedBeforeTheIndexWasReadIsNotStoredTwice() {
        BlobId id;
        try (Repository r = Repository.open(new LocalStore(tmp), "ns", null, true)) {
            id = r.save(BlobType.DATA, "twice".getBytes(StandardCharsets.UTF_8));
            r.flush();
        }
        try (Repository r = Repository.open(new LocalStore(tmp), "ns", null, false)) {
            r.save(BlobType.DATA, "twice".getBytes(StandardCharsets.UTF_8));
            r.flush();
            assertThat(r.storedBytes()).as("the index, read at that save, already named the blob").isZero();
            assertThat(r.index().find(id)).isNotNull();
        }
    }
}
