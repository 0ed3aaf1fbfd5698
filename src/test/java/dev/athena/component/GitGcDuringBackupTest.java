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

    @Test
    void aBackupThatSucceedsWhileGcRunsRestoresRepositoriesThatPassFsck() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("gitserver"));
        Path repo = repository(volume, "platform", 150);
        // Loose objects only, so gc has plenty to pack and delete while the copy walks them.
        Path pack = repo.resolve("objects/pack");
        try (var packs = Files.list(pack)) {
            for (Path p : packs.toList()) {
                if (p.toString().endsWith(".pack")) {
                    Path idx = Path.of(p.toString().replace(".pack", ".idx"));
                    Process unpack = new ProcessBuilder("sh", "-c", "git -C '" + repo + "' unpack-objects -q < '" + p + "' && rm -f '" + p + "' '" + idx + "'")
                            .redirectErrorStream(true).start();
                    unpack.getInputStream().readAllBytes();
                    assertThat(unpack.waitFor()).isZero();
                }
            }
        }
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        for (int round = 0; round < 4; round++) {
            Repository repository = Repository.open(store, "app", null, true);
            Process gc = new ProcessBuilder("git", "-C", repo.toString(), "gc", "-q", "--prune=now").redirectErrorStream(true).start();
            Thread.sleep(round * 60L);
            String ts = null;
            try {
                ts = new BackupCommand(repository).component(new GitserverComponent(volume)).call().timestamp();
            } catch (RuntimeException failed) {
                // Failed, with a reason: allowed. A Success must restore exactly.
                assertThat(failed.getMessage()).contains("gitserver");
            }
            gc.getInputStream().readAllBytes();
            assertThat(gc.waitFor()).isZero();
            if (ts != null) {
                Path target = tmp.resolve("restored-" + round);
                new RestoreCommand(Repository.open(store, "app", null, false), ts).component(new GitserverComponent(target)).call();
                git(target.resolve("platform.git"), "fsck", "--full", "--no-dangling");
                assertThat(git(target.resolve("platform.git"), "log", "--oneline", "main")).contains("commit 149");
            }
            // Loose again for the next round.
            try (var packs = Files.list(pack)) {
                for (Path p : packs.filter(x -> x.toString().endsWith(".pack")).toList()) {
                    Process unpack = new ProcessBuilder("sh", "-c", "mv '" + p + "' '" + tmp.resolve("p.pack") + "' && rm -f '"
                            + p.toString().replace(".pack", ".idx") + "' && git -C '" + repo + "' unpack-objects -q < '" + tmp.resolve("p.pack") + "'")
                            .redirectErrorStream(true).start();
                    unpack.getInputStream().readAllBytes();
                    assertThat(unpack.waitFor()).isZero();
                }
            }
        }
    }
}
