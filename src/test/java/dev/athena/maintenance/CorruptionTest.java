package dev.athena.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;
import dev.athena.testing.Trees;
import dev.athena.volume.DamagedBackupException;

/** Given a backup whose stored data is damaged, verify names the damage and a restore touches nothing. */
class CorruptionTest {
    private static final String TS = "2023-02-02t16-00-00";
    @TempDir
    Path tmp;
    LocalStore store;
    Path target;

    @BeforeEach
    void backUpAndPrepareATarget() throws Exception {
        Path source = tmp.resolve("source");
        byte[] big = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(big);
        // 'big.bin' sorts first, so its chunks fill the first (largest) pack alone.
        Trees.write(source.resolve("big.bin"), big);
        for (int i = 0; i < 20; i++) {
            Trees.write(source.resolve("small/file-" + i + ".txt"), ("small " + i).getBytes());
        }
        store = new LocalStore(tmp.resolve("backups"));
        new BackupCommand(Repository.open(store, "app", null, true)).volume("metagraph", source).timestamp(TS).call();
        target = tmp.resolve("target");
        Trees.write(target.resolve("existing.txt"), "the destination's own data".getBytes());
        Trees.write(target.resolve("big.bin"), "an older version".getBytes());
    }

    private StoredObject largestPack() {
        return store.list("app/repository/data/").stream().max(Comparator.comparingLong(StoredObject::size)).orElseThrow();
    }

    @Test
    void aFlippedByteInAPackIsNamedByVerifyAndTheRestoreLeavesTheDestinationAsItWas() throws Exception {
        Path pack = store.root().resolve(largestPack().key());
        try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "rw")) {
            f.seek(1000);
            int b = f.read();
            f.seek(1000);
            f.write(b ^ 0x01);
        }
        Repository repo = Repository.open(store, "app", null, false);

        VerifyCommand.Report report = new VerifyCommand(repo).call();
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).singleElement().asString()
                .contains("backup " + TS).contains("component metagraph").contains("file big.bin").contains("does not match its hash");

        Map<String, String> before = Trees.describe(target);
        assertThatThrownBy(() -> new RestoreCommand(repo, TS).volume("metagraph", target).call())
                .isInstanceOf(DamagedBackupException.class).hasMessageContaining("file big.bin");
        assertThat(Trees.describe(target)).isEqualTo(before);
    }

    @Test
    void aDeletedPackIsNamedByVerifyAndTheRestoreLeavesTheDestinationAsItWas() throws Exception {
        store.delete(largestPack().key());
        Repository repo = Repository.open(store, "app", null, false);

        VerifyCommand.Report report = new VerifyCommand(repo).call();
        assertThat(report.problems()).anyMatch(p -> p.contains("named by the index is missing"))
                .anyMatch(p -> p.contains("backup " + TS + ", component metagraph, file big.bin") && p.contains("is missing"));

        Map<String, String> before = Trees.describe(target);
        assertThatThrownBy(() -> new RestoreCommand(repo, TS).volume("metagraph", target).call())
                .isInstanceOf(DamagedBackupException.class);
        assertThat(Trees.describe(target)).isEqualTo(before);
        assertThat(Files.readString(target.resolve("existing.txt"))).isEqualTo("the destination's own data");
    }

    @Test
    void anIntactBackupVerifies() {
        VerifyCommand.Report report = new VerifyCommand(Repository.open(store, "app", null, false)).call();
        assertThat(report.problems()).isEmpty();
        assertThat(report.backups()).containsExactly(TS);
    }
}
