package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.restore.RestoreSource;
import dev.athena.testing.S3Server;
import dev.athena.testing.Trees;

/** A restore from a real S3 server (S3Proxy in-process) downloads each pack once, however often it reads it. */
class DownloadCacheTest {
    @RegisterExtension
    static S3ProxyExtension proxy = S3Server.extension();
    @TempDir
    Path tmp;

    /** Counts the reads of each pack that reach the store. */
    static final class CountingStore extends ForwardingStore {
        final Map<String, AtomicInteger> packReads = new ConcurrentHashMap<>();

        CountingStore(ObjectStore inner) {
            super(inner);
        }

        private void count(String key) {
            if (key.contains("/repository/data/")) {
                packReads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
        }

        @Override
        public byte[] get(String key) {
            count(key);
            return super.get(key);
        }

        @Override
        public byte[] getRange(String key, long offset, int length) {
            count(key);
            return super.getRange(key, offset, length);
        }

        @Override
        public java.io.InputStream open(String key) {
            count(key);
            return super.open(key);
        }
    }

    @Test
    void aPackStreamedToItsEndIsKeptAndOneClosedEarlyLeavesNothing() throws Exception {
        CountingStore store = new CountingStore(new LocalStore(tmp.resolve("store")));
        byte[] pack = new byte[3 * 1024 * 1024 + 17];
        new Random(6).nextBytes(pack);
        store.put("app/repository/data/ab/abcd", pack);
        store.put("app/repository/data/cd/cdef", pack);
        Path scratch = tmp.resolve("scratch");
        try (DownloadCache cache = new DownloadCache(store, scratch, key -> key.contains("/repository/data/"), 0)) {
            try (java.io.InputStream in = cache.open("app/repository/data/ab/abcd")) {
                assertThat(in.readAllBytes()).isEqualTo(pack);
            }
            assertThat(cache.keptBytes()).isEqualTo(pack.length);
            // The restore's ranged reads after a streamed check come from the copy, not the store.
            assertThat(cache.getRange("app/repository/data/ab/abcd", 1_000_000, 50)).isEqualTo(java.util.Arrays.copyOfRange(pack, 1_000_000, 1_000_050));
            assertThat(store.packReads.get("app/repository/data/ab/abcd").get()).isEqualTo(1);

            try (java.io.InputStream in = cache.open("app/repository/data/cd/cdef")) {
                assertThat(in.readNBytes(1000)).isEqualTo(java.util.Arrays.copyOf(pack, 1000));
            }
            assertThat(cache.keptBytes()).as("half a pack is no copy").isEqualTo(pack.length);
            cache.getRange("app/repository/data/cd/cdef", 0, 10);
            assertThat(store.packReads.get("app/repository/data/cd/cdef").get()).as("read from the store again").isEqualTo(2);
            try (Stream<Path> files = Files.walk(scratch)) {
                assertThat(files.filter(Files::isRegularFile)).as("one copy, no partial file left").hasSize(1);
            }
        }
    }

    @Test
    void copiesServeEveryReadUntilTheObjectIsDeletedAndOnlyCacheableKeysAreKept() throws Exception {
        CountingStore store = new CountingStore(new LocalStore(tmp.resolve("store")));
        byte[] pack = new byte[100_000];
        new Random(5).nextBytes(pack);
        store.put("app/repository/data/ab/abcd", pack);
        store.put("app/2023-02-02t16-00-00/manifest.json", "{}".getBytes());
        try (DownloadCache cache = new DownloadCache(store, tmp.resolve("scratch"), key -> key.contains("/repository/data/"), 0)) {
            assertThat(cache.get("app/repository/data/ab/abcd")).isEqualTo(pack);
            assertThat(cache.get("app/repository/data/ab/abcd")).isEqualTo(pack);
            assertThat(cache.getRange("app/repository/data/ab/abcd", 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(pack, 10, 30));
            try (java.io.InputStream in = cache.open("app/repository/data/ab/abcd")) {
                assertThat(in.readAllBytes()).isEqualTo(pack);
            }
            assertThat(store.packReads.get("app/repository/data/ab/abcd").get()).as("one download, then the copy").isEqualTo(1);
            assertThat(cache.keptBytes()).isEqualTo(pack.length);
            assertThat(cache.localReads()).isEqualTo(2);

            cache.get("app/2023-02-02t16-00-00/manifest.json");
            assertThat(cache.keptBytes()).as("a manifest is not kept").isEqualTo(pack.length);

            cache.delete("app/repository/data/ab/abcd");
            assertThat(store.exists("app/repository/data/ab/abcd")).isFalse();
            assertThatThrownBy(() -> cache.get("app/repository/data/ab/abcd")).isInstanceOf(ObjectNotFoundException.class);
        }
    }

    private Path backUp(String bucket) throws Exception {
        Path data = Trees.randomFiles(tmp.resolve("data"), 12, 3 * 1024 * 1024, 7);
        S3Server.createBucket(proxy, bucket);
        Repository repo = Repository.open(new S3Store(S3Server.settings(proxy, bucket)), "app", null, true);
        new BackupCommand(repo).volume("data", data).timestamp("2023-02-02t16-00-00").call();
        return data;
    }

    @Test
    void eachPackIsDownloadedOnceAndTheCopiesGoAfterTheRestore() throws Exception {
        Path data = backUp("cached");
        CountingStore store = new CountingStore(new S3Store(S3Server.settings(proxy, "cached")));
        Path scratch = tmp.resolve("scratch");
        try (RestoreSource source = RestoreSource.open(store, true, "app", null, scratch, dev.athena.repository.Repository.Options.DEFAULTS)) {
            new RestoreCommand(source.repository(), "2023-02-02t16-00-00").volume("data", tmp.resolve("restored")).call();
        }
        Trees.assertSameTree(data, tmp.resolve("restored"));
        assertThat(store.packReads).as("the backup spans several packs").hasSizeGreaterThan(1);
        assertThat(store.packReads.values()).allMatch(n -> n.get() == 1);
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("the cached copies are removed").isEmpty();
        }
    }

    @Test
    void withoutRoomForCopiesTheRestoreReadsTheStoreAsBefore() throws Exception {
        Path data = backUp("uncached");
        CountingStore store = new CountingStore(new S3Store(S3Server.settings(proxy, "uncached")));
        try (DownloadCache cache = new DownloadCache(store, tmp.resolve("scratch"), key -> key.contains("/repository/data/"), Long.MAX_VALUE)) {
            Repository repo = Repository.open(cache, "app", null, false);
            new RestoreCommand(repo, "2023-02-02t16-00-00").volume("data", tmp.resolve("restored")).call();
            assertThat(cache.keptBytes()).isZero();
            assertThat(cache.localReads()).isZero();
        }
        Trees.assertSameTree(data, tmp.resolve("restored"));
        assertThat(store.packReads.values()).anyMatch(n -> n.get() > 1);
    }
}
