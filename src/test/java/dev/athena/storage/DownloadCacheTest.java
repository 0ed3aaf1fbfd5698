package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;

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
    }

    private Path backUp(String bucket) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Random random = new Random(7);
        for (int i = 0; i < 12; i++) {
            byte[] b = new byte[3 * 1024 * 1024];
            random.nextBytes(b);
            Files.write(data.resolve("file-" + i), b);
        }
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
        try (RestoreSource source = RestoreSource.open(store, true, "app", null, scratch)) {
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
