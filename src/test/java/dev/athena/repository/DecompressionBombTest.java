package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;

import com.github.luben.zstd.ZstdOutputStream;

import org.junit.jupiter.api.Test;

/**
 * A blob planted by whoever can write to the location that decompresses to far more than its
 * index entry says (a "zip bomb": here 512 MiB of zeros in a few KiB) is refused as damaged once
 * the declared length is reached; it is never inflated whole. Declared lengths themselves are
 * capped by the index checks (256 MiB, DamagedIndexTest).
 */
class DecompressionBombTest {
    @Test
    void aBlobThatInflatesPastItsDeclaredLengthIsDamagedNotInflated() throws Exception {
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write(Compression.ZSTD);
        try (ZstdOutputStream z = new ZstdOutputStream(bomb, 19)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 512; i++) {
                z.write(zeros);
            }
        }
        assertThat(bomb.size()).as("compressed size").isLessThan(64 * 1024);
        long before = usedHeap();
        assertThatThrownBy(() -> Compression.unpack(bomb.toByteArray(), 1 << 20)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("cannot decompress");
        assertThat(usedHeap() - before).as("heap grown by the attempt").isLessThan(256L << 20);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
