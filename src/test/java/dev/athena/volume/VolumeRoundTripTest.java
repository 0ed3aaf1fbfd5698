package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.FaultyStore;
import dev.athena.storage.LocalStore;
import dev.athena.testing.Trees;

class VolumeRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderWithEveryKindOfEntryIsRestoredExactlyIntoAnotherFolder() throws Exception {
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);

        Manifest m = new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-00").call();

        assertThat(m.components()).containsKey("metagraph");
        assertThat(m.warnings()).anyMatch(w -> w.contains("skipped fifo") && w.contains("a-fifo"))
                .anyMatch(w -> w.contains("skipped socket") && w.contains("a-socket"));

        Path target = tmp.resolve("target");
        Trees.write(target.resolve("stale/leftover.txt"), "must go".getBytes());
        Trees.write(target.resolve("small.txt"), "old content".getBytes());
        Files.createDirectories(target.resolve("big.bin"));
        Files.createSymbolicLink(target.resolve("a"), Path.of("/tmp"));

        new RestoreCommand(repo, "2023-02-02t16-00-00").volume("metagraph", target).call();

        Trees.assertSameTree(source, target);
        assertThat(Files.size(target.resolve("sparse.img"))).isEqualTo(64L * 1024 * 1024);
        assertThat(Trees.allocatedBytes(target.resolve("sparse.img"))).isLessThan(8L * 1024 * 1024);
    }

    @Test
    void anUnchangedTreeIsNotReadAgainAndAChangedFileIs() throws Exception {
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t16-00-00").call();

        Manifest second = new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t18-00-00").call();
        assertThat(second.components().get("v").stats().get("bytesRead")).isZero();

        Trees.write(source.resolve("a/b/c/deep.txt"), "deeper".getBytes());
        Manifest third = new BackupCommand(repo).volume("v", source).timestamp("2023-02-02t20-00-00").call();
        assertThat(third.components().get("v").stats().get("bytesRead")).isEqualTo(6);

        Path target = tmp.resolve("target");
        new RestoreCommand(repo, "2023-02-02t20-00-00").volume("v", target).call();
        Trees.assertSameTree(source, target);
    }

    @Test
    void aRestoreThatFailsMidwaySaysExactlyHowFarItGot() throws Exception {
        Path source = tmp.resolve("source");
        for (int i = 0; i < 6; i++) {
            Trees.write(source.resolve("d" + i + "/file.txt"), ("file " + i).getBytes());
        }
        LocalStore local = new LocalStore(tmp.resolve("backups"));
        new BackupCommand(Repository.open(local, "app", null, true)).volume("v", source).timestamp("2023-02-02t16-00-00").call();
        // Fault injection: the store fails from the seventh blob read on (the fourth file), after the checks passed (as a lost disk would).
        Repository repo = Repository.open(new FaultyStore(local, 6), "app", null, false);
        Path target = tmp.resolve("target");
        Trees.write(target.resolve("stale.txt"), "old".getBytes());

        assertThatThrownBy(() -> new RestoreCommand(repo, "2023-02-02t16-00-00").volume("v", target).call())
                .hasMessageContaining("stopped after changing").hasMessageContaining("files written")
                .hasMessageContaining("first changed").hasMessageContaining("d0/file.txt").hasMessageContaining("injected fault");
    }
}
