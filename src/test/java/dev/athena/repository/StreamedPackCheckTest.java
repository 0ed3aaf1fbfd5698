package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;

/**
 * The pre-restore check (depth PACKS) hashes each pack as it streams in. A pack whose stream
 * breaks midway is read whole instead (a whole read is retried), so a flaky connection does not
 * fail a restore; a damaged pack is still found and names its blobs.
 */
class StreamedPackCheckTest {
    @TempDir
    Path tmp;

    /**
     * Every stream it opens breaks after 1,000 bytes, alternately with an IOException (a reset
     * connection) and a RuntimeException (as an S3 client reports some failures); whole reads work.
     */
    static final class BreakingStreams extends ForwardingStore {
        final AtomicInteger opened = new AtomicInteger();

        BreakingStreams(Path root) {
            super(new LocalStore(root));
        }

        @Override
        public InputStream open(String key) {
            boolean unchecked = opened.incrementAndGet() % 2 == 0;
            InputStream in = inner.open(key);
            return new java.io.FilterInputStream(in) {
                private long read;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (read >= 1000) {
                        if (unchecked) {
                            throw new IllegalStateException("client error mid-stream (injected)");
                        }
                        throw new IOException("connection reset by peer (injected)");
                    }
                    int n = super.read(b, off, (int) Math.min(len, 1000 - read));
                    read += Math.max(n, 0);
                    return n;
                }
            };
        }
    }

    private List<BlobId> backUp() {
        List<BlobId> ids = new ArrayList<>();
        try (Repository r = Repository.open(new LocalStore(tmp), "ns", "a passphrase for the test", true)) {
            Random random = new Random(4);
            for (int i = 0; i < 6; i++) {
                byte[] data = new byte[300_000];
                random.nextBytes(data);
                ids.add(r.save(BlobType.DATA, data));
            }
            r.flush();
        }
        return ids;
    }

    @Test
    void aPackWhoseStreamBreaksIsReadWholeAndPasses() {
        List<BlobId> ids = backUp();
        BreakingStreams store = new BreakingStreams(tmp);
        // Twice, each by a repository of its own (one remembers the packs it found intact): the first check's streams break
        // with an IOException, the second's with a RuntimeException.
        for (int i = 0; i < 2; i++) {
            try (Repository r = Repository.open(store, "ns", "a passphrase for the test", false)) {
                assertThat(new Verifier(r).check(ids, Verifier.Depth.PACKS)).isEmpty();
                assertThat(r.evidence().packs()).isPositive();
            }
        }
        assertThat(store.opened.get()).as("each pack was first streamed, both kinds of break seen").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aDamagedPackIsFoundByItsStreamedHashAndItsBlobsAreNamed() throws IOException {
        List<BlobId> ids = backUp();
        Path pack;
        try (var files = Files.walk(tmp.resolve("ns/repository/data"))) {
            pack = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(pack);
        bytes[100] ^= 1;
        Files.write(pack, bytes);
        try (Repository r = Repository.open(new LocalStore(tmp), "ns", "a passphrase for the test", false)) {
            var damaged = new Verifier(r).check(ids, Verifier.Depth.PACKS);
            assertThat(damaged).isNotEmpty();
            assertThat(damaged.values()).allMatch(why -> why.contains("damaged in pack"));
        }
    }
}
