package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.testing.Trees;

/**
 * A store that answers every write with success but keeps something else (what s3rver did with
 * the SDK's aws-chunked uploads): the write fails, so no backup on it can end Success.
 * The altering store is a decorator over a real local folder.
 */
class ReadBackStoreTest {
    @TempDir
    Path tmp;

    /** Keeps what {@code alter} makes of every object written. */
    static final class AlteringStore extends ForwardingStore {
        private final BiFunction<String, byte[], byte[]> alter;

        AlteringStore(ObjectStore inner, BiFunction<String, byte[], byte[]> alter) {
            super(inner);
            this.alter = alter;
        }

        @Override
        public void put(String key, byte[] data, int length) {
            inner.put(key, alter.apply(key, Arrays.copyOf(data, length)));
        }

        @Override
        public void put(String key, byte[] data) {
            put(key, data, data.length);
        }
    }

    private static byte[] chunkFraming(byte[] data) {
        String head = Integer.toHexString(data.length) + ";chunk-signature=0123\r\n";
        byte[] framed = Arrays.copyOf(head.getBytes(StandardCharsets.US_ASCII), head.length() + data.length + 2);
        System.arraycopy(data, 0, framed, head.length(), data.length);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        return framed;
    }

    @Test
    void aStoreThatKeepsTheChunkFramingFailsTheFirstWriteAndNoBackupExists() throws Exception {
        LocalStore disk = new LocalStore(tmp.resolve("store"));
        ObjectStore store = RetryingStore.standard(new ReadBackStore(new AlteringStore(disk, (k, d) -> chunkFraming(d))));
        assertThatThrownBy(() -> Repository.open(store, "app", null, true))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("did not keep what was written to")
                .hasMessageContaining("app/repository/");
    }

    @Test
    void aPackCutShortOrWithOtherBytesFailsTheBackupWithTheStoreNamed() throws Exception {
        Path source = Trees.randomFiles(tmp.resolve("source"), 2, 20 * 1024 * 1024, 3);
        LocalStore disk = new LocalStore(tmp.resolve("store"));
        // Only packs are altered: the last byte of every one is flipped on the way.
        ObjectStore store = RetryingStore.standard(new ReadBackStore(new AlteringStore(disk, (k, d) -> {
            if (k.contains("/data/")) {
                d[d.length - 1] ^= 1;
            }
            return d;
        })));
        Repository repo = Repository.open(store, "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-00").call())
                .hasMessageContaining("did not keep what was written to")
                .hasMessageContaining("/data/")
                .hasMessageContaining("bytes differ");
        assertThat(repo.timestamps()).isEmpty();

        ObjectStore truncating = new ReadBackStore(new AlteringStore(disk, (k, d) -> Arrays.copyOf(d, d.length - 10)));
        assertThatThrownBy(() -> truncating.put("app/repository/data/ab/x", new byte[1 << 20]))
                .hasMessageContaining("it reads back as 1048566 bytes");
    }

    @Test
    void anHonestStoreTakesEveryWriteUnchanged() {
        ObjectStore store = new ReadBackStore(new LocalStore(tmp.resolve("store")));
        byte[] big = new byte[ReadBackStore.COMPARE_WHOLE + 1];
        Arrays.fill(big, (byte) 7);
        store.put("a/big", big);
        store.put("a/small", "x".getBytes(StandardCharsets.UTF_8));
        store.put("a/prefix", big, 10);
        assertThat(store.get("a/big")).isEqualTo(big);
        assertThat(store.get("a/prefix")).hasSize(10);
    }
}
