package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;

/**
 * The index and prune need a heap that does not grow with the number of blobs: a million blobs
 * (64 MB of index records) are written, indexed, looked up and pruned by a JVM with a 64 MiB heap,
 * which holds them only because the records spill to a mapped file. (By hand, the same program with
 * spilling turned off ran out of heap while indexing.) A separate JVM, so that the heap is the
 * limit and not the test runner's. The serial collector, as bin/athena runs it: with G1 at 64 MiB
 * the write path's 9 MiB pack buffers (humongous objects there) ran out of heap in 1 run of 3.
 */
class ManyBlobsInASmallHeapTest {
    static final int BLOBS = 1_000_000;
    @TempDir
    Path tmp;

    @Test
    void aMillionBlobsAreIndexedFoundAndPrunedIn64MiBOfHeap() throws Exception {
        Path log = tmp.resolve("program.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), Program.class.getName(),
                tmp.resolve("store").toString(), tmp.resolve("spill").toString(), String.valueOf(BLOBS)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("spilled: true", "found all " + BLOBS, "after prune: " + (BLOBS * 3 / 4) + " blobs");
        // Index files stay bounded after the prune rewrote the ones naming deleted packs.
        List<Long> sizes = new LocalStore(tmp.resolve("store")).list("app/repository/index/").stream().map(StoredObject::size).toList();
        assertThat(sizes).hasSizeGreaterThanOrEqualTo(BLOBS * 3 / 4 / Repository.INDEX_FILE_BLOBS);
        assertThat(sizes).allMatch(size -> size < 8L * 1024 * 1024);
        // The spill file was deleted as soon as it was opened: nothing is left behind.
        try (var left = Files.list(tmp.resolve("spill"))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    /** Writes {@code count} distinct 24-byte blobs, reopens, finds every one, prunes the last quarter, checks. */
    public static final class Program {
        public static void main(String[] args) {
            LocalStore store = new LocalStore(Path.of(args[0]));
            Path spill = args[1].equals("none") ? null : Path.of(args[1]);
            Repository.Options options = new Repository.Options(1, 0, spill);
            int count = Integer.parseInt(args[2]);
            try (Repository repo = Repository.open(store, "app", null, true, options)) {
                for (int i = 0; i < count; i++) {
                    repo.save(BlobType.DATA, content(i));
                }
                repo.flush();
            }
            Repository fresh = Repository.open(store, "app", null, false, options);
            System.out.println("spilled: " + fresh.index().spilled());
            int found = 0;
            for (int i = 0; i < count; i++) {
                if (fresh.index().contains(BlobId.of(content(i)))) {
                    found++;
                }
            }
            System.out.println("found all " + found);
            for (int i = 0; i < count; i += 9973) {
                check(java.util.Arrays.equals(fresh.load(BlobId.of(content(i))), content(i)), "blob " + i + " reads back");
            }
            BlobIdSet used = new BlobIdSet(spill);
            for (int i = 0; i < count * 3 / 4; i++) {
                used.add(BlobId.of(content(i)));
            }
            Pruner.Result r = new Pruner(fresh).prune(used);
            System.out.println("prune: " + r);
            Repository after = Repository.open(store, "app", null, false, options);
            System.out.println("after prune: " + after.index().size() + " blobs");
            for (int i = 0; i < count; i += 997) {
                check(after.index().contains(BlobId.of(content(i))) == (i < count * 3 / 4), "blob " + i + " kept only when used");
            }
            for (int i = count * 3 / 4 - 5000; i < count * 3 / 4; i += 7) {
                check(java.util.Arrays.equals(after.load(BlobId.of(content(i))), content(i)), "blob " + i + " reads back after prune");
            }
        }

        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new AssertionError(what);
            }
        }

        private static byte[] content(int i) {
            return ByteBuffer.allocate(24).putInt(i).putInt(~i).putLong(i * 0x9E3779B97F4A7C15L).putLong(0x5eed).array();
        }
    }
}
