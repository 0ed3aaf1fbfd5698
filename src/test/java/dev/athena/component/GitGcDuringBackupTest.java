package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;

/**
 * {@code git gc} packing and deleting loose objects while the gitserver volume is copied (real git,
 * real repositories): a backup that ends Success restores repositories that pass
 * {@code git fsck --full} with every ref, whatever moment gc ran at.
 */
class GitGcDuringBackupTest {
    @TempDir
    Path tmp;

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    /** A bare repository with {@code commits} commits, all as loose objects. */
    private Path repository(Path root, String name, int commits) throws Exception {
        Path work = tmp.resolve("work-" + name);
        Files.createDirectories(work);
        git(work, "init", "-q", "-b", "main");
        git(work, "config", "user.email", "t@example.com");
        git(work, "config", "user.name", "t");
        git(work, "config", "gc.auto", "0");
        for (int i = 0; i < commits; i++) {
            Files.writeString(work.resolve("file-" + (i % 50) + ".txt"), "line " + i + "\n".repeat(1 + i % 7));
            git(work, "add", "-A");
            git(work, "commit", "-q", "-m", "commit " + i);
        }
        Path bare = root.resolve(name + ".git");
        git(tmp, "clone", "-q", "--bare", "--no-local", work.toString(), bare.toString());
        git(bare, "config", "gc.auto", "0");
        return bare;
    }

    private static void awaitSuccess(Process git) throws Exception {
        String out = new String(git.getInputStream().readAllBytes());
        assertThat(git.waitFor()).as(out).isZero();
    }

    /** The backup restores a repository that passes git fsck --full and holds the last commit. */
    private static void assertRestoresIntact(LocalStore store, String ts, Path target) throws Exception {
        new RestoreCommand(Repository.open(store, "app", null, false), ts).component(new GitserverComponent(target)).call();
        git(target.resolve("platform.git"), "fsck", "--full", "--no-dangling");
        assertThat(git(target.resolve("platform.git"), "log", "--oneline", "main")).contains("commit 149");
    }

    /** Turns every pack of {@code repo} back into loose objects (the pack moved out first: unpack-objects skips objects present). */
    private void loosen(Path repo) throws Exception {
        try (var packs = Files.list(repo.resolve("objects/pack"))) {
            for (Path p : packs.filter(x -> x.toString().endsWith(".pack")).toList()) {
                Path outside = tmp.resolve("loosen.pack");
                Files.move(p, outside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(Path.of(p.toString().replace(".pack", ".idx")));
                Files.deleteIfExists(Path.of(p.toString().replace(".pack", ".rev")));
                Process unpack = new ProcessBuilder("sh", "-c", "git -C '" + repo + "' unpack-objects -q < '" + outside + "'")
                        .redirectErrorStream(true).start();
                String out = new String(unpack.getInputStream().readAllBytes());
                assertThat(unpack.waitFor()).as(out).isZero();
            }
        }
        git(repo, "fsck", "--full", "--no-dangling");
    }

    @Test
    void aBackupThatSucceedsWhileGcRunsRestoresRepositoriesThatPassFsck() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("gitserver"));
        Path repo = repository(volume, "platform", 150);
        // Loose objects only, so gc has plenty to pack and delete while the copy walks them.
        loosen(repo);
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        for (int round = 0; round < 4; round++) {
            Repository repository = Repository.open(store, "app", null, true);
            Process gc = new ProcessBuilder("git", "-C", repo.toString(), "gc", "-q", "--prune=now").redirectErrorStream(true).start();
            Thread.sleep(round * 60L); // not a wait: each round starts the backup a little later into the gc, the fault's timing
            String ts = null;
            try {
                ts = new BackupCommand(repository).component(new GitserverComponent(volume)).call().timestamp();
            } catch (RuntimeException failed) {
                // Failed, with a reason: allowed. A Success must restore exactly.
                assertThat(failed.getMessage()).contains("gitserver");
            }
            awaitSuccess(gc);
            if (ts != null) {
                assertRestoresIntact(store, ts, tmp.resolve("restored-" + round));
            }
            loosen(repo);
        }
    }

    @Test
    void aRepackThatReplacesPacksDuringTheCopyIsCopiedAgainNeverLost() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("gitserver"));
        Path repo = repository(volume, "platform", 150);
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        int copiedAgainOrFailed = 0;
        for (int round = 0; round < 6; round++) {
            Repository repository = Repository.open(store, "app", null, true);
            // -f recomputes every delta, so the new pack differs from the old and the old one is deleted.
            Process repack = new ProcessBuilder("git", "-C", repo.toString(), "repack", "-q", "-a", "-d", "-f").redirectErrorStream(true).start();
            Thread.sleep(round * 30L); // not a wait: a later start into the repack each round
            String ts = null;
            try {
                var manifest = new BackupCommand(repository).component(new GitserverComponent(volume)).call();
                ts = manifest.timestamp();
            } catch (RuntimeException failed) {
                assertThat(failed.getMessage()).contains("gitserver").contains("repacked");
                copiedAgainOrFailed++;
            }
            awaitSuccess(repack);
            if (ts != null) {
                assertRestoresIntact(store, ts, tmp.resolve("restored-" + round));
            }
        }
        System.out.println("GitGcDuringBackupTest: " + copiedAgainOrFailed + " of 6 backups failed for repacks");
    }

    @Test
    void aPackThatMovedDuringTheCopyMeansCopyAgainAVanishedLooseObjectDoesNot() {
        assertThat(GitserverComponent.repackedDuringCopy(List.of(
                "vanished during the backup: platform.git/objects/9b/ef88fde8da115b92d53a5199b4a68bf4d1eeea",
                "folder vanished during the backup: platform.git/objects/04",
                "vanished during the backup: platform.git/objects/pack/pack-1234.pack",
                "changed while being read, stored as read (1288 bytes): objects/pack/pack-99.idx",
                "vanished during the backup: platform.git/refs/heads/topic"))).containsExactly(
                "vanished during the backup: platform.git/objects/pack/pack-1234.pack",
                "changed while being read, stored as read (1288 bytes): objects/pack/pack-99.idx");
    }
}
