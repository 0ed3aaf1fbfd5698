package dev.athena.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.S3Store;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.S3Server;
import dev.athena.testing.Trees;

/**
 * Copies of backups to a second location (3-2-1): local to S3 and S3 to local (S3Proxy, a real S3
 * API over HTTP), by the CLI with another key, and a copy cut off midway and run again. Each copy
 * restores exactly, and a second run sends nothing.
 */
class CopyTest {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3Server.extension();

    @TempDir
    Path tmp;

    private Path volume(String name, int files, long seed) throws Exception {
        Path dir = Trees.randomFiles(tmp.resolve(name), files, 50_000, seed);
        Files.writeString(dir.resolve("note.txt"), "made for " + name);
        return dir;
    }

    private static void backup(Repository repo, String ts, Path data) {
        new BackupCommand(repo).timestamp(ts).volume("data", data).call();
    }

    private void assertRestores(Repository repo, String ts, Path expected) throws Exception {
        Path out = tmp.resolve("restored-" + ts + "-" + System.nanoTime());
        new RestoreCommand(repo, ts).volume("data", out).call();
        Trees.assertSameTree(expected, out);
    }

    @Test
    void localToS3AndBackCopiesOnlyWhatIsMissingAndRestoresExactly() throws Exception {
        S3Server.createBucket(S3, "second");
        Path data = volume("data", 20, 1);
        Repository local = Repository.open(new LocalStore(tmp.resolve("primary")), "app", "primary-key-0123456789", true);
        backup(local, "2026-12-01t00-00-00", data);
        Files.writeString(data.resolve("note.txt"), "changed before the second backup");
        backup(local, "2026-12-02t00-00-00", data);

        Repository s3 = Repository.open(new S3Store(S3Server.settings(S3, "second")), "app", "primary-key-0123456789", true);
        CopyCommand.Result first = new CopyCommand(local, s3).call();
        assertThat(first.backups()).extracting(CopyCommand.Copied::timestamp).containsExactly("2026-12-01t00-00-00", "2026-12-02t00-00-00");
        assertThat(first.backups().get(0).blobsCopied()).isGreaterThan(20);
        assertThat(first.backups().get(1).blobsCopied()).as("the second backup shares all but its changed file and trees").isLessThan(5);

        Repository fromS3 = Repository.open(new S3Store(S3Server.settings(S3, "second")), "app", "primary-key-0123456789", false);
        assertThat(fromS3.timestamps()).containsExactly("2026-12-01t00-00-00", "2026-12-02t00-00-00");
        assertRestores(fromS3, "2026-12-02t00-00-00", data);
        CopyCommand.Result again = new CopyCommand(local, Repository.open(new S3Store(S3Server.settings(S3, "second")), "app",
                "primary-key-0123456789", false)).call();
        assertThat(again.backups()).allSatisfy(c -> assertThat(c.alreadyThere()).isTrue());
        assertThat(again.bytesCopied()).isZero();

        Repository back = Repository.open(new LocalStore(tmp.resolve("third")), "app", "primary-key-0123456789", true);
        new CopyCommand(fromS3, back).timestamps(List.of("2026-12-02t00-00-00")).call();
        Repository third = Repository.open(new LocalStore(tmp.resolve("third")), "app", "primary-key-0123456789", false);
        assertThat(third.timestamps()).as("only the one asked for").containsExactly("2026-12-02t00-00-00");
        assertRestores(third, "2026-12-02t00-00-00", data);
    }

    /** A store whose writes fail after a number of them: the copy stops as a lost connection would stop it. */
    private static final class FailingWrites extends ForwardingStore {
        private final AtomicInteger left;

        FailingWrites(ObjectStore inner, int writes) {
            super(inner);
            this.left = new AtomicInteger(writes);
        }

        @Override
        public void put(String key, byte[] data, int length) {
            if (left.decrementAndGet() < 0) {
                throw new dev.athena.storage.StorageException("connection lost (injected)", null);
            }
            super.put(key, data, length);
        }

        @Override
        public void put(String key, byte[] data) {
            put(key, data, data.length);
        }
    }

    @Test
    void aCopyCutOffMidwayPublishesNothingHalfAndTheNextRunFinishesIt() throws Exception {
        Path data = volume("data", 60, 2);
        Repository local = Repository.open(new LocalStore(tmp.resolve("primary")), "app", null, true);
        backup(local, "2026-12-01t00-00-00", data);

        Repository cut = Repository.open(new FailingWrites(new LocalStore(tmp.resolve("second")), 4), "app", null, true);
        assertThatThrownBy(() -> new CopyCommand(local, cut).call()).hasMessageContaining("connection lost");
        Repository seen = Repository.open(new LocalStore(tmp.resolve("second")), "app", null, false);
        assertThat(seen.timestamps()).as("no half backup is visible").isEmpty();

        CopyCommand.Result rerun = new CopyCommand(local, Repository.open(new LocalStore(tmp.resolve("second")), "app", null, false)).call();
        assertThat(rerun.backups()).singleElement().satisfies(c -> assertThat(c.alreadyThere()).isFalse());
        Repository second = Repository.open(new LocalStore(tmp.resolve("second")), "app", null, false);
        assertThat(second.timestamps()).containsExactly("2026-12-01t00-00-00");
        assertRestores(second, "2026-12-01t00-00-00", data);
        assertThat(new VerifyCommand(second).call().ok()).isTrue();
    }

    @Test
    void aCopyAskedToStopLetsGoBetweenBlobsAndTheNextRunCarriesOn() throws Exception {
        Path data = volume("data", 40, 4);
        Repository local = Repository.open(new LocalStore(tmp.resolve("primary")), "app", null, true);
        backup(local, "2026-12-01t00-00-00", data);
        AtomicInteger asked = new AtomicInteger();
        CopyCommand.Result stopped = new CopyCommand(local, Repository.open(new LocalStore(tmp.resolve("second")), "app", null, true))
                .stopWhen(() -> asked.incrementAndGet() > 10).call();
        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.backups()).as("nothing finished").isEmpty();
        assertThat(Repository.open(new LocalStore(tmp.resolve("second")), "app", null, false).timestamps()).isEmpty();

        CopyCommand.Result rest = new CopyCommand(local, Repository.open(new LocalStore(tmp.resolve("second")), "app", null, false)).call();
        assertThat(rest.stopped()).isFalse();
        assertThat(rest.backups()).singleElement().satisfies(c -> assertThat(c.blobsCopied()).isLessThan(41));
        assertRestores(Repository.open(new LocalStore(tmp.resolve("second")), "app", null, false), "2026-12-01t00-00-00", data);
    }

    @Test
    void aDamagedBackupIsReportedAndTheOthersAreStillCopied() throws Exception {
        Path primary = tmp.resolve("primary");
        Path first = volume("first", 5, 5);
        Repository local = Repository.open(new LocalStore(primary), "app", null, true);
        backup(local, "2026-12-01t00-00-00", first);
        java.util.List<Path> firstPacks;
        try (var files = Files.walk(primary.resolve("app/repository/data"))) {
            firstPacks = files.filter(Files::isRegularFile).toList();
        }
        Path second = volume("second", 5, 6);
        backup(Repository.open(new LocalStore(primary), "app", null, false), "2026-12-02t00-00-00", second);
        for (Path pack : firstPacks) {
            byte[] bytes = Files.readAllBytes(pack);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(pack, bytes);
        }

        CopyCommand.Result result = new CopyCommand(Repository.open(new LocalStore(primary), "app", null, false),
                Repository.open(new LocalStore(tmp.resolve("copy")), "app", null, true)).call();
        assertThat(result.failures()).singleElement().satisfies(c -> {
            assertThat(c.timestamp()).isEqualTo("2026-12-01t00-00-00");
            assertThat(c.error()).isNotBlank();
        });
        Repository copy = Repository.open(new LocalStore(tmp.resolve("copy")), "app", null, false);
        assertThat(copy.timestamps()).containsExactly("2026-12-02t00-00-00");
        Path out = tmp.resolve("second-restored");
        new RestoreCommand(copy, "2026-12-02t00-00-00").volume("data", out).call();
        Trees.assertSameTree(second, out);
    }

    @Test
    void theCliCopiesWithTheSecondLocationsOwnKey() throws Exception {
        Path data = volume("data", 5, 3);
        Path primary = tmp.resolve("primary");
        Path second = tmp.resolve("second");
        Map<String, String> env = Map.of("LOCAL_BACKUP_LOCATION", primary.toString(), "ATHENA_ENCRYPTION_KEY", "primary-key-0123456789",
                "ATHENA_COPY_ENCRYPTION_KEY", "second-key-0123456789");
        assertThat(run(env, "backup", "--volume", "data=" + data, "--timestamp", "2026-12-01t00-00-00")).isZero();
        Path log = tmp.resolve("copy.log");
        ProcessBuilder b = AthenaProcess.builder(List.of(), "copy", "--to", second.toString());
        b.environment().putAll(env);
        Process p = b.redirectOutput(log.toFile()).start();
        assertThat(p.waitFor()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("backup 2026-12-01t00-00-00: copied", "read back intact", "1 backup at " + second);

        assertThatThrownBy(() -> Repository.open(new LocalStore(second), "app", "primary-key-0123456789", false).readManifest("2026-12-01t00-00-00"))
                .as("sealed with its own key").isInstanceOf(RuntimeException.class);
        Repository copy = Repository.open(new LocalStore(second), "app", "second-key-0123456789", false);
        assertRestores(copy, "2026-12-01t00-00-00", data);

        Path sameLog = tmp.resolve("same.log");
        ProcessBuilder same = AthenaProcess.builder(List.of(), "copy", "--to", primary.toString());
        same.environment().putAll(env);
        Process sp = same.redirectOutput(sameLog.toFile()).start();
        assertThat(sp.waitFor()).isEqualTo(1);
        assertThat(Files.readString(sameLog, StandardCharsets.UTF_8)).contains("is the backup location itself");
    }

    private int run(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder b = AthenaProcess.builder(List.of(), args);
        b.environment().putAll(env);
        return b.redirectOutput(tmp.resolve("cli.log").toFile()).start().waitFor();
    }
}
