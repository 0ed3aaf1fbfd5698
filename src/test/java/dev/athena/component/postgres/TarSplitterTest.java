package dev.athena.component.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.BlobId;

/** Tars made by GNU tar, as pg_basebackup's follow the same ustar layout. */
class TarSplitterTest {
    @TempDir
    Path tmp;

    private byte[] tar(Path folder) throws Exception {
        Process p = new ProcessBuilder("tar", "-c", "-f", "-", "--format=ustar", "--mtime=2026-01-01", "-C", folder.toString(), ".").start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static List<byte[]> pieces(byte[] tar) throws Exception {
        List<byte[]> out = new ArrayList<>();
        long total = new TarSplitter(64 * 1024).split(new ByteArrayInputStream(tar), (b, off, len) -> out.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        assertThat(total).isEqualTo(tar.length);
        return out;
    }

    @Test
    void aChangedPageChangesOneBlockAndAGrownFileMovesNothingAfterIt() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data/base"));
        byte[] relation = new byte[100 * 8192];
        new Random(1).nextBytes(relation);
        Files.write(data.resolve("16384"), relation);
        Files.write(data.resolve("16385"), new byte[3000]);
        byte[] first = tar(tmp.resolve("data"));
        List<byte[]> before = pieces(first);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        before.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).as("the pieces are the stream").isEqualTo(first);

        // One page of the relation changes, and the small file grows.
        relation[37 * 8192 + 100] ^= 1;
        Files.write(data.resolve("16384"), relation);
        Files.write(data.resolve("16385"), new byte[9000]);
        List<byte[]> after = pieces(tar(tmp.resolve("data")));
        Set<BlobId> old = new HashSet<>();
        before.forEach(p -> old.add(BlobId.of(p)));
        long newBytes = after.stream().filter(p -> !old.contains(BlobId.of(p))).mapToLong(p -> p.length).sum();
        // The changed block (64 KiB), the grown file (9,000 bytes padded), headers and GNU tar's end-of-archive record
        // (up to 10 KiB): nothing else of the 800 KiB relation.
        assertThat(newBytes).isLessThan(64 * 1024 + 9216 + 4 * 512 + 10240 + 1);
        assertThat(newBytes).isGreaterThanOrEqualTo(64 * 1024);
    }

    @Test
    void sizesAreReadInOctalAndInBase256() {
        byte[] header = new byte[512];
        System.arraycopy("00000001750\0".getBytes(), 0, header, 124, 12);
        assertThat(TarSplitter.size(header)).isEqualTo(1000);
        header = new byte[512];
        header[124] = (byte) 0x80;
        header[131] = 2; // 2 << 32
        assertThat(TarSplitter.size(header)).isEqualTo(2L << 32);
    }
}
