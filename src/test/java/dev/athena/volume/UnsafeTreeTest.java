package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.BlobId;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;

/** Trees crafted by an attacker who can write to the backup location never write outside the target. */
class UnsafeTreeTest {
    @TempDir
    Path tmp;

    private static TreeEntry dir(String path) {
        return TreeEntry.create(path.getBytes(), TreeEntry.DIR, 0755, 0, 0, 0, null, null, null, null, null, null, null);
    }

    private static TreeEntry link(String path, String target) {
        return TreeEntry.create(path.getBytes(), TreeEntry.SYMLINK, 0777, 0, 0, 0, null, null, null, null, null, null, target.getBytes());
    }

    private static TreeEntry file(String path) {
        return TreeEntry.create(path.getBytes(), TreeEntry.FILE, 0644, 0, 0, 0, 0L, null, null, null, 1, List.of(), null);
    }

    private List<BlobId> tree(Repository repo, TreeEntry... entries) {
        TreeWriter w = new TreeWriter(repo);
        for (TreeEntry e : entries) {
            w.add(e);
        }
        List<BlobId> ids = w.finish();
        repo.flush();
        return ids;
    }

    @Test
    void dotDotSlashesAndFilesUnderSymlinksAreRefused() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Path target = tmp.resolve("sandbox/target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("keep.txt"), "the destination's own file");
        Path outside = tmp.resolve("sandbox");

        for (List<BlobId> evil : List.of(
                tree(repo, dir(""), file("../escaped")),
                tree(repo, dir(""), dir("a"), file("a/../../escaped")),
                tree(repo, dir(""), link("escape", ".."), file("escape/escaped")),
                tree(repo, dir(""), file("/escaped")),
                tree(repo, dir(""), file("b"), file("a")),
                tree(repo, dir(""), file("nul\u0000name")),
                tree(repo, dir(""), file("a//b")),
                tree(repo, dir(""), file("./x")),
                tree(repo, dir(""), file("")))) {
            assertThatThrownBy(() -> new VolumeRestore(repo).run("2023-02-02t16-00-00", "v", evil, target))
                    .isInstanceOf(UnsafePathException.class);
        }
        assertThat(Files.exists(outside.resolve("escaped"))).isFalse();
        assertThat(Files.readString(target.resolve("keep.txt"))).as("checks run before anything is written").isEqualTo("the destination's own file");
        try (var s = Files.list(outside)) {
            assertThat(s.toList()).containsExactly(target);
        }
    }

    /**
     * A hard link names no path, only a group (device and inode as they were at backup): a member
     * is linked to the group's first file this same restore wrote. A tree that gives a file the
     * device and inode of a file outside the target gets a new file, never a link to that one.
     */
    @Test
    void aHardLinkCanOnlyJoinAFileThisRestoreWrote() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Path outside = Files.writeString(tmp.resolve("secret"), "outside the target");
        long inode = (Long) Files.getAttribute(outside, "unix:ino");
        long device = (Long) Files.getAttribute(outside, "unix:dev");
        BlobId chunk = repo.save(dev.athena.repository.BlobType.DATA, "planted".getBytes());
        List<String> chunks = List.of(chunk.hex());
        List<BlobId> evil = tree(repo, dir(""),
                TreeEntry.create("a".getBytes(), TreeEntry.FILE, 0644, 0, 0, 0, 7L, inode, device, null, 2, chunks, null),
                TreeEntry.create("b".getBytes(), TreeEntry.FILE, 0644, 0, 0, 0, 7L, inode, device, null, 2, chunks, null));
        Path target = Files.createDirectories(tmp.resolve("target"));
        new VolumeRestore(repo).run("2023-02-02t16-00-00", "v", evil, target);
        assertThat(Files.isSameFile(target.resolve("a"), outside)).isFalse();
        assertThat(Files.isSameFile(target.resolve("b"), target.resolve("a"))).as("the group's members linked to each other").isTrue();
        assertThat(Files.readString(outside)).isEqualTo("outside the target");
        assertThat(Files.readString(target.resolve("b"))).isEqualTo("planted");
    }
}
