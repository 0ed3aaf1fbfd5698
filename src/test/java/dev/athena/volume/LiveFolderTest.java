package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.testing.Trees;

/** A live service keeps writing while its volume is backed up: lock files come and go, logs grow. */
class LiveFolderTest {
    @TempDir
    Path tmp;

    @Test
    void filesThatAppearVanishOrChangeDuringTheBackupNeverFailIt() throws Exception {
        Path source = tmp.resolve("source");
        for (int i = 0; i < 2000; i++) {
            Trees.write(source.resolve("d" + i % 20 + "/f" + i), ("initial " + i).getBytes());
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread churn = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                try {
                    int i = n++ % 2000;
                    Path f = source.resolve("d" + i % 20 + "/f" + i);
                    switch (n % 3) {
                        case 0 -> Files.deleteIfExists(f);
                        case 1 -> Files.writeString(f, "rewritten " + n);
                        default -> Files.writeString(source.resolve("d" + i % 20 + "/lock-" + n), "pid");
                    }
                    if (n % 7 == 0) {
                        Files.deleteIfExists(source.resolve("d" + i % 20 + "/lock-" + (n - 4)));
                    }
                } catch (Exception ignored) {
                    // the folder may be mid-change; the churn only has to keep going
                }
            }
        });
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        churn.start();
        Manifest m;
        try {
            m = new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-00").call();
            new BackupCommand(repo).volume("metagraph", source).timestamp("2023-02-02t16-00-01").call();
        } finally {
            stop.set(true);
            churn.join();
        }
        assertThat(m.components().get("metagraph").stats().get("files")).isPositive();
        assertThat(new VerifyCommand(repo).call().problems()).isEmpty();
        Path target = tmp.resolve("target");
        new RestoreCommand(repo, "2023-02-02t16-00-01").volume("metagraph", target).call();
        assertThat(Files.isDirectory(target.resolve("d0"))).isTrue();
    }
}
