package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.BlobId;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;

/** TreeWriter and TreeReader on their own: section 8 of docs/repository-format.md. */
class TreeFormatTest {
    @TempDir
    Path tmp;

    private static TreeEntry file(String path, long mtimeNs) {
        return TreeEntry.create(path.getBytes(StandardCharsets.UTF_8), TreeEntry.FILE, 0644, 1000, 1000, mtimeNs, 6L, 42L, 7L, mtimeNs, 1,
                List.of(BlobId.of("hello\n".getBytes(StandardCharsets.UTF_8)).hex()), null);
    }

    @Test
    void entriesComeBackInOrderWithExactNanosecondsAndRawNames() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        TreeWriter writer = new TreeWriter(repo);
        List<TreeEntry> written = new ArrayList<>();
        written.add(TreeEntry.create(new byte[0], TreeEntry.DIR, 0755, 0, 0, 1_704_067_200_000_000_001L, null, null, null, null, null, null, null));
        // 2^63 - 1 and a time before 1970: a reader that parses numbers as doubles would change both.
        written.add(file("max-time", Long.MAX_VALUE));
        written.add(file("before-1970", -1_234_567_890_123_456_789L));
        written.add(TreeEntry.create(new byte[] {'r', 'a', 'w', (byte) 0xe9}, TreeEntry.FILE, 0600, 0, 0, 5L, 0L, 1L, 1L, 5L, 1, List.of(), null));
        written.add(TreeEntry.create("link".getBytes(StandardCharsets.UTF_8), TreeEntry.SYMLINK, 0777, 0, 0, 6L, null, null, null, null, null,
                null, new byte[] {'t', (byte) 0xff}));
        // Enough entries that the stream is cut into several TREE blobs.
        for (int i = 0; i < 20_000; i++) {
            written.add(file(String.format("many/file-%05d", i), 1_000_000_000_000_000_000L + i));
        }
        written.forEach(writer::add);
        List<BlobId> tree = writer.finish();
        repo.flush();
        assertThat(tree).hasSizeGreaterThan(1);

        List<TreeEntry> read = new ArrayList<>();
        new TreeReader(repo, tree).forEachRemaining(read::add);
        assertThat(read).isEqualTo(written);
        assertThat(read.get(1).mtimeNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(read.get(2).mtimeNs()).isEqualTo(-1_234_567_890_123_456_789L);
        assertThat(read.get(3).path()).isNull();
        assertThat(read.get(3).pathBytes()).containsExactly('r', 'a', 'w', (byte) 0xe9);
        assertThat(read.get(4).targetRaw()).isNotNull();
    }

    /** The writer's lines are the bytes data binding wrote before it (so unchanged trees keep their blob ids). */
    @Test
    void eachLineIsWhatDataBindingWrites() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        TreeWriter writer = new TreeWriter(repo);
        List<TreeEntry> entries = List.of(
                TreeEntry.create(new byte[0], TreeEntry.DIR, 0755, 0, 0, 1L, null, null, null, null, null, null, null),
                file("a/b", Long.MAX_VALUE),
                file("new\nline \"quoted\" \\ tab\t \u0001 é 日本 🙂", -1L),
                TreeEntry.create(new byte[] {'r', (byte) 0xe9}, TreeEntry.FILE, 04755, 65534, 65534, 0L, 0L, 1L, 1L, 0L, 3, List.of(), null),
                TreeEntry.create("l".getBytes(StandardCharsets.UTF_8), TreeEntry.SYMLINK, 0777, 1, 2, 3L, null, null, null, null, null, null,
                        new byte[] {'t', (byte) 0xff}),
                TreeEntry.create("l2".getBytes(StandardCharsets.UTF_8), TreeEntry.SYMLINK, 0777, 1, 2, 3L, null, null, null, null, null, null,
                        "../target".getBytes(StandardCharsets.UTF_8)),
                new TreeEntry(null, null, null, 0, 0, 0, 0L, null, null, null, null, null, null, null, null));
        for (TreeEntry e : entries) {
            assertThat(new String(writer.encode(e), StandardCharsets.UTF_8)).isEqualTo(new String(dev.athena.repository.Json.write(e), StandardCharsets.UTF_8));
        }
    }

    private static TreeEntry decode(String line) throws Exception {
        try (com.fasterxml.jackson.core.JsonParser p = dev.athena.repository.Json.MAPPER.getFactory().createParser(line)) {
            return TreeReader.decode(p);
        }
    }

    /** Lines are decoded field by field: fields a newer writer may add are skipped; a field of the wrong type is damage. */
    @Test
    void aLineWithUnknownFieldsIsReadAndOneWithAWrongTypeIsDamage() throws Exception {
        TreeEntry e = decode("{\"path\":\"a/b\",\"type\":\"file\",\"future\":{\"x\":[1,{\"y\":2}]},\"mode\":420,\"uid\":7,"
                + "\"gid\":8,\"mtimeNs\":-5,\"size\":3,\"nlink\":2,\"chunks\":[\"ab\",\"cd\"],\"later\":null}");
        assertThat(e).isEqualTo(new TreeEntry("a/b", null, "file", 420, 7, 8, -5L, 3L, null, null, null, 2, List.of("ab", "cd"), null, null));
        assertThat(decode("{\"path\":\"\",\"type\":\"dir\",\"mode\":493,\"mtimeNs\":1,\"size\":null}"))
                .isEqualTo(new TreeEntry("", null, "dir", 493, 0, 0, 1L, null, null, null, null, null, null, null, null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode("{\"path\":\"a\",\"mode\":\"420\"}"))
                .isInstanceOf(dev.athena.repository.CorruptDataException.class).hasMessageContaining("'mode' should be a whole number");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode("{\"path\":\"a\",\"mtimeNs\":1.5}"))
                .isInstanceOf(dev.athena.repository.CorruptDataException.class).hasMessageContaining("'mtimeNs'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode("{\"path\":\"a\",\"chunks\":[\"ab\",null]}"))
                .isInstanceOf(dev.athena.repository.CorruptDataException.class).hasMessageContaining("'chunks' should be a list of strings");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode("[1]"))
                .isInstanceOf(dev.athena.repository.CorruptDataException.class).hasMessageContaining("not a JSON object");
        // A mode beyond an int is no mode: Jackson's own error, which the reader reports as an entry that is not valid JSON.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decode("{\"path\":\"a\",\"mode\":99999999999}"))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aTreeThatChangedInOneLineSharesMostOfItsBlobs() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        List<BlobId> before = writeMany(repo, -1);
        List<BlobId> after = writeMany(repo, 10_000);
        assertThat(before.size()).isGreaterThan(3);
        List<BlobId> shared = new ArrayList<>(after);
        shared.retainAll(before);
        assertThat(shared.size()).as("blobs shared of " + after.size()).isGreaterThanOrEqualTo(after.size() - 2);
    }

    private static List<BlobId> writeMany(Repository repo, int changed) {
        TreeWriter w = new TreeWriter(repo);
        for (int i = 0; i < 40_000; i++) {
            w.add(file(String.format("f-%05d", i), i == changed ? 99L : i));
        }
        List<BlobId> tree = w.finish();
        repo.flush();
        return tree;
    }
}
