package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChunkerTest {
    private static List<BlobId> chunks(byte[] data) throws Exception {
        List<BlobId> ids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        new Chunker().split(new ByteArrayInputStream(data), (b, off, len) -> {
            ids.add(BlobId.of(b, off, len));
            sizes.add(len);
        });
        assertThat(sizes.subList(0, sizes.size() - 1)).allMatch(s -> s >= Chunker.MIN_SIZE && s <= Chunker.MAX_SIZE);
        return ids;
    }

    @Test
    void chunksAverageAboutOneMebibyteAndAnInsertionChangesOnlyTheChunksItTouches() throws Exception {
        byte[] data = new byte[64 * 1024 * 1024];
        new Random(5).nextBytes(data);
        List<BlobId> original = chunks(data);
        assertThat(data.length / original.size()).isBetween(700 * 1024, 1600 * 1024);

        byte[] edited = new byte[data.length + 100];
        System.arraycopy(data, 0, edited, 0, 30_000_000);
        System.arraycopy(data, 30_000_000, edited, 30_000_100, data.length - 30_000_000);
        Set<BlobId> before = new HashSet<>(original);
        long shared = chunks(edited).stream().filter(before::contains).count();
        assertThat(shared).isGreaterThanOrEqualTo(original.size() - 3);
    }
}
