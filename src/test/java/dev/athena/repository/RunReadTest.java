package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.storage.FaultyStore;
import dev.athena.storage.LocalStore;

/** {@link Repository#loadRun}: blobs back to back in one pack read with one ranged read, each still checked on its own. */
class RunReadTest {
    @TempDir
    Path tmp;

    private record Saved(Repository repo, List<BlobId> ids, List<byte[]> contents) {
    }

    private Saved saveTen(LocalStore store) {
        Repository repo = Repository.open(store, "app", "run-read-test-key-0123456789", true);
        List<BlobId> ids = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            byte[] c = new byte[200 + i];
            random.nextBytes(c);
            ids.add(repo.save(BlobType.DATA, c));
            contents.add(c);
        }
        repo.flush();
        return new Saved(repo, ids, contents);
    }

    /** The blobs {@code ids} read back as one run through a store that counts its ranged reads; asserts it took one. */
    private static Object[] loadRunCountingReads(LocalStore local, List<BlobId> ids) {
        FaultyStore counting = new FaultyStore(local, Integer.MAX_VALUE);
        Repository repo = Repository.open(counting, "app", "run-read-test-key-0123456789", false);
        List<BlobLocation> locations = ids.stream().map(repo::locate).toList();
        int before = counting.reads();
        Object[] out = repo.loadRun(ids, locations);
        assertThat(counting.reads() - before).isEqualTo(1);
        return out;
    }

    @Test
    void tenBlobsBackToBackAreOneReadAndComeBackInOrder() {
        LocalStore local = new LocalStore(tmp.resolve("backups"));
        Saved s = saveTen(local);

        Object[] out = loadRunCountingReads(local, s.ids());

        assertThat(out).containsExactlyElementsOf(s.contents());
    }

    @Test
    void aDamagedBlobInARunIsAnErrorInItsOwnPlaceAndTheOthersAreIntact() throws Exception {
        LocalStore local = new LocalStore(tmp.resolve("backups"));
        Saved s = saveTen(local);
        List<BlobLocation> locations = s.ids().stream().map(s.repo()::locate).toList();
        BlobLocation hit = locations.get(4);
        Path pack = tmp.resolve("backups").resolve(s.repo().layout().pack(hit.pack()));
        byte[] bytes = Files.readAllBytes(pack);
        bytes[(int) hit.offset() + hit.length() / 2] ^= 0x10;
        Files.write(pack, bytes);
        Repository repo = Repository.open(local, "app", "run-read-test-key-0123456789", false);

        Object[] out = repo.loadRun(s.ids(), locations);

        for (int i = 0; i < out.length; i++) {
            if (i == 4) {
                assertThat(out[i]).isInstanceOf(CorruptDataException.class);
                assertThat(((Exception) out[i]).getMessage()).contains("blob " + s.ids().get(4).shortHex()).contains("damaged");
            } else {
                assertThat(out[i]).isEqualTo(s.contents().get(i));
            }
        }
    }

    @Test
    void blobsInAnyOrderAreOneReadOfTheirSpan() {
        LocalStore local = new LocalStore(tmp.resolve("backups"));
        Saved s = saveTen(local);

        Object[] out = loadRunCountingReads(local, List.of(s.ids().get(6), s.ids().get(2), s.ids().get(9)));

        assertThat(out).containsExactly(s.contents().get(6), s.contents().get(2), s.contents().get(9));
    }
}
