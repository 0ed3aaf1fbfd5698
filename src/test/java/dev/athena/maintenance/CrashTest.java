package dev.athena.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.Trees;

/** A backup process killed with SIGKILL midway leaves nothing that later backups, prune or verify trip over. */
class CrashTest {
    @TempDir
    Path tmp;

    @Test
    void aBackupKilledMidwayLeavesNoManifestAndTheNextBackupAndPruneSucceed() throws Exception {
        Path source = tmp.resolve("source");
        Random random = new Random(3);
        for (int i = 0; i < 12; i++) {
            byte[] b = new byte[16 * 1024 * 1024];
            random.nextBytes(b);
            Trees.write(source.resolve("file-" + i + ".bin"), b);
        }
        Path backups = tmp.resolve("backups");
        Process backup = AthenaProcess.builder(List.of(), "backup", "--location", backups.toString(),
                "--volume", "metagraph=" + source, "--timestamp", "2023-02-02t16-00-00")
                .redirectOutput(tmp.resolve("backup.log").toFile()).start();
        LocalStore store = new LocalStore(backups);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (store.list("app/repository/data/").size() < 2 && backup.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(backup.isAlive()).as("the backup is still running when it is killed").isTrue();
        backup.destroyForcibly().waitFor();

        Repository repo = Repository.open(store, "app", null, false);
        assertThat(repo.timestamps()).isEmpty();
        assertThat(store.exists("app/2023-02-02t16-00-00/manifest.json")).isFalse();
        assertThat(store.list("app/repository/locks/")).as("the dead process's lock is left behind").hasSize(1);
        assertThat(store.list("app/repository/data/")).isNotEmpty();

        // The next backup breaks the dead process's lock and succeeds; prune removes the orphaned packs.
        new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t18-00-00").call();
        new PruneCommand(Repository.open(store, "app", null, false)).call();
        Repository fresh = Repository.open(store, "app", null, false);
        assertThat(fresh.timestamps()).containsExactly("2023-02-02t18-00-00");
        assertThat(new VerifyCommand(fresh).call().problems()).isEmpty();
        assertThat(store.list("app/repository/locks/")).isEmpty();
        Path target = tmp.resolve("target");
        new RestoreCommand(fresh, "2023-02-02t18-00-00").volume("metagraph", target).call();
        Trees.assertSameTree(source, target);
        assertThat(new File(tmp.resolve("backup.log").toString())).exists();
    }
}
