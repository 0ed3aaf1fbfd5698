package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * What Athena needs of every store, as one round trip run against each (restic's backend tests are
 * the model): whole objects, a written prefix, ranged reads across a part boundary, the last bytes,
 * an empty object, listings of objects and of folders, missing keys, deletes twice.
 */
final class StoreContract {
    private StoreContract() {
    }

    /** {@code bigSize}: a large object's size (over S3's multipart threshold); {@code partSize}: where a ranged read crosses. */
    static void roundTrip(ObjectStore store, int bigSize, int partSize) throws Exception {
        byte[] big = new byte[bigSize];
        new Random(1).nextBytes(big);
        store.put("ns/repository/data/ab/big", big);
        byte[] small = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        store.put("ns/2023-02-02t16-00-00/manifest.json", small);
        byte[] prefix = Arrays.copyOf(big, 1000);
        store.put("ns/repository/index/prefix", prefix, 600);

        assertThat(store.get("ns/repository/data/ab/big")).isEqualTo(big);
        assertThat(store.size("ns/repository/data/ab/big")).isEqualTo(big.length);
        assertThat(store.get("ns/2023-02-02t16-00-00/manifest.json")).isEqualTo(small);
        assertThat(store.get("ns/repository/index/prefix")).isEqualTo(Arrays.copyOf(big, 600));
        assertThat(store.getRange("ns/repository/data/ab/big", 0, 16)).isEqualTo(Arrays.copyOfRange(big, 0, 16));
        assertThat(store.getRange("ns/repository/data/ab/big", partSize - 5, 10))
                .isEqualTo(Arrays.copyOfRange(big, partSize - 5, partSize + 5));
        assertThat(store.getRange("ns/repository/data/ab/big", big.length - 7, 7)).isEqualTo(Arrays.copyOfRange(big, big.length - 7, big.length));
        // Metadata is read as "at most N bytes": a short object comes back whole, an empty one as no bytes (S3 answers that range 416).
        assertThat(store.getRange("ns/2023-02-02t16-00-00/manifest.json", 0, 64 << 20)).isEqualTo(small);
        store.put("other/empty", new byte[0]);
        assertThat(store.getRange("other/empty", 0, 100)).isEmpty();
        store.delete("other/empty");
        try (InputStream in = store.open("ns/2023-02-02t16-00-00/manifest.json")) {
            assertThat(in.readAllBytes()).isEqualTo(small);
        }
        assertThat(store.list("ns/")).extracting(StoredObject::key)
                .containsExactly("ns/2023-02-02t16-00-00/manifest.json", "ns/repository/data/ab/big", "ns/repository/index/prefix");
        assertThat(store.list("ns/repository/data/")).extracting(StoredObject::size).containsExactly((long) big.length);
        // What Athena lists folders for: the backups' folders, which hold objects directly. (s3rver leaves out
        // a folder that holds only sub-folders, "repository" here; Athena never asks for one.)
        assertThat(store.listFolders("ns/")).contains("2023-02-02t16-00-00").isSubsetOf("2023-02-02t16-00-00", "repository");
        assertThat(store.listFolders("ns/repository/")).contains("index").isSubsetOf("data", "index");

        assertThat(store.exists("ns/nothing")).isFalse();
        assertThatThrownBy(() -> store.get("ns/nothing")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("ns/nothing", 0, 10)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.size("ns/nothing")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.open("ns/nothing").close()).isInstanceOf(ObjectNotFoundException.class);

        store.delete("ns/repository/data/ab/big");
        store.delete("ns/repository/data/ab/big");
        assertThat(store.exists("ns/repository/data/ab/big")).isFalse();
        assertThat(store.list("ns/repository/")).extracting(StoredObject::key).containsExactly("ns/repository/index/prefix");
    }
}
