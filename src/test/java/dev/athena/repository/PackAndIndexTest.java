package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.athena.storage.LocalStore;

/** PackWriter, PackReader and Index on their own: the byte layout of docs/repository-format.md sections 4, 6 and 7. */
class PackAndIndexTest {
    @TempDir
    Path tmp;

    private static Envelope envelope(boolean encrypted) {
        byte[] key = new byte[32];
        new Random(5).nextBytes(key);
        return encrypted ? Envelope.aesGcm(key) : Envelope.plain();
    }

    /** A blob as the repository stores it: flag byte, content (as is), sealed. */
    private static byte[] stored(byte[] content, Envelope envelope) {
        byte[] flagged = new byte[content.length + 1];
        System.arraycopy(content, 0, flagged, 1, content.length);
        return envelope.seal(flagged);
    }

    private record Written(PackWriter.Finished pack, List<byte[]> contents, List<byte[]> sealed) {
    }

    private static Written write(Envelope envelope) {
        PackWriter w = new PackWriter(PackWriter.MAX_BYTES);
        List<byte[]> contents = new ArrayList<>();
        List<byte[]> sealed = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 5; i++) {
            byte[] c = new byte[100 + i * 977];
            random.nextBytes(c);
            byte[] s = stored(c, envelope);
            w.add(BlobId.of(c), i == 4 ? BlobType.TREE : BlobType.DATA, s, s.length, c.length);
            contents.add(c);
            sealed.add(s);
        }
        return new Written(w.finish(envelope), contents, sealed);
    }

    @ParameterizedTest(name = "encrypted: {0}")
    @ValueSource(booleans = {false, true})
    void aPackReadsBackAsItsHeaderSaysFromBytesAndFromTheStore(boolean encrypted) {
        Envelope envelope = envelope(encrypted);
        Written w = write(envelope);
        byte[] pack = Arrays.copyOf(w.pack().bytes(), w.pack().length());
        assertThat(w.pack().id()).isEqualTo(BlobId.of(pack));

        List<PackWriter.Entry> header = PackReader.header(pack, envelope);
        assertThat(header).isEqualTo(w.pack().entries());
        long offset = 0;
        for (int i = 0; i < header.size(); i++) {
            PackWriter.Entry e = header.get(i);
            assertThat(e.offset()).isEqualTo(offset);
            assertThat(e.id()).isEqualTo(BlobId.of(w.contents().get(i)));
            assertThat(e.type()).isEqualTo(i == 4 ? BlobType.TREE : BlobType.DATA);
            byte[] sealed = Arrays.copyOfRange(pack, (int) e.offset(), (int) e.offset() + e.length());
            assertThat(PackReader.blob(sealed, e.id(), e.rawLength(), envelope)).isEqualTo(w.contents().get(i));
            offset += e.length();
        }
        // The last 4 bytes are the sealed header's length, little-endian (section 6).
        int headerLength = (pack[pack.length - 4] & 0xff) | (pack[pack.length - 3] & 0xff) << 8 | (pack[pack.length - 2] & 0xff) << 16
                | (pack[pack.length - 1] & 0xff) << 24;
        assertThat(offset + headerLength + 4).isEqualTo(pack.length);

        LocalStore store = new LocalStore(tmp.resolve("store-" + encrypted));
        store.put("pack", pack);
        assertThat(PackReader.header(store, "pack", pack.length, envelope)).isEqualTo(header);
    }

    /** A pack filled into the buffer of one uploaded before (its old bytes still in it) is the pack a fresh buffer makes. */
    @Test
    void aPackFilledIntoAReusedBufferIsByteForByteAFreshOne() {
        Envelope envelope = Envelope.plain();
        Written fresh = write(envelope);
        byte[] used = new byte[fresh.pack().length() + 1000];
        java.util.Arrays.fill(used, (byte) 0x5a);
        PackWriter w = new PackWriter(PackWriter.MAX_BYTES, used);
        for (int i = 0; i < fresh.contents().size(); i++) {
            byte[] c = fresh.contents().get(i);
            byte[] s = fresh.sealed().get(i);
            w.add(BlobId.of(c), i == 4 ? BlobType.TREE : BlobType.DATA, s, s.length, c.length);
        }
        PackWriter.Finished reused = w.finish(envelope);

        assertThat(reused.bytes()).isSameAs(used);
        assertThat(reused.id()).isEqualTo(fresh.pack().id());
        assertThat(Arrays.copyOf(reused.bytes(), reused.length())).isEqualTo(Arrays.copyOf(fresh.pack().bytes(), fresh.pack().length()));
    }

    @ParameterizedTest(name = "encrypted: {0}")
    @ValueSource(booleans = {false, true})
    void damageIsNamedNeverReadAsData(boolean encrypted) {
        Envelope envelope = envelope(encrypted);
        Written w = write(envelope);
        byte[] pack = Arrays.copyOf(w.pack().bytes(), w.pack().length());
        assertThatThrownBy(() -> PackReader.header(new byte[3], envelope)).isInstanceOf(CorruptDataException.class).hasMessageContaining("too short");
        byte[] badLength = pack.clone();
        badLength[badLength.length - 1] = 0x7f;
        assertThatThrownBy(() -> PackReader.header(badLength, envelope)).isInstanceOf(CorruptDataException.class).hasMessageContaining("out of range");
        byte[] cut = Arrays.copyOfRange(pack, 100, pack.length);
        assertThatThrownBy(() -> PackReader.header(cut, envelope)).isInstanceOf(CorruptDataException.class);

        PackWriter.Entry first = w.pack().entries().get(0);
        byte[] sealed = Arrays.copyOfRange(pack, 0, first.length());
        sealed[sealed.length / 2] ^= 1;
        assertThatThrownBy(() -> PackReader.blob(sealed, first.id(), first.rawLength(), envelope)).isInstanceOf(RuntimeException.class);
        // A blob under another blob's name: its content does not hash to the name.
        PackWriter.Entry second = w.pack().entries().get(1);
        byte[] other = Arrays.copyOfRange(pack, (int) second.offset(), (int) second.offset() + second.length());
        assertThatThrownBy(() -> PackReader.blob(other, first.id(), second.rawLength(), envelope))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("does not match its hash");
    }

    @Test
    void anIndexFileRoundTripsAsJsonAndRefusesEntriesOutOfRange() throws Exception {
        Written w = write(Envelope.plain());
        Map<BlobId, List<PackWriter.Entry>> packs = Map.of(w.pack().id(), w.pack().entries());
        byte[] json = Index.toJson(packs);
        assertThat(Json.MAPPER.readTree(json)).as("the records' shape, field by field").isEqualTo(Json.MAPPER.readTree(Json.write(
                new Index.IndexFile(List.of(new Index.PackRecord(w.pack().id().hex(), w.pack().entries().stream()
                        .map(e -> new Index.BlobRecord(e.id().hex(), e.type().name().toLowerCase(), e.offset(), e.length(), e.rawLength()))
                        .toList()))))));
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).contains("\"type\":\"data\"").contains("\"type\":\"tree\"").contains("\"rawLength\"");
        Map<BlobId, List<PackWriter.Entry>> parsed = Index.parse(json, "index");
        assertThat(parsed).isEqualTo(packs);
        // Read token by token, as the records would bind it: fields a newer writer adds are skipped.
        assertThat(Index.parse(text.replace("{\"packs\":", "{\"writer\":{\"v\":[2]},\"packs\":").replace("\"rawLength\"", "\"later\":null,\"rawLength\"")
                .getBytes(StandardCharsets.UTF_8), "index")).isEqualTo(packs);

        Index index = new Index();
        parsed.forEach(index::add);
        PackWriter.Entry tree = w.pack().entries().get(4);
        assertThat(index.find(tree.id())).isEqualTo(new BlobLocation(w.pack().id(), BlobType.TREE, tree.offset(), tree.length(), tree.rawLength()));
        assertThat(index.packs()).containsExactly(w.pack().id());

        for (String damaged : List.of(
                text.replace("\"type\":\"tree\"", "\"type\":\"symlink\""),
                text.replaceFirst("\"offset\":\\d+", "\"offset\":-1"),
                text.replaceFirst("\"length\":\\d+", "\"length\":" + (Index.MAX_BLOB + 1)),
                text.replaceFirst("\"id\":\"[0-9a-f]{64}\"", "\"id\":\"not-hex\""),
                text.replaceFirst("\"type\":\"data\",", ""),
                text.replaceFirst("\"length\":\\d+", "\"length\":\"12\""),
                text.substring(0, text.length() / 2),
                "[]",
                "{\"packs\":{}}",
                "{\"packs\":null}")) {
            assertThatThrownBy(() -> Index.parse(damaged.getBytes(StandardCharsets.UTF_8), "index"))
                    .as(damaged).isInstanceOf(CorruptDataException.class);
        }
    }
}
