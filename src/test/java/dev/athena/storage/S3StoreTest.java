package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.testing.S3Server;
import dev.athena.testing.Trees;

/** Against a real S3 server (S3Proxy started in-process); the SDK is never mocked. */
class S3StoreTest {
    @RegisterExtension
    static S3ProxyExtension proxy = S3Server.extension();

    @TempDir
    Path tmp;

    @Test
    void objectsGoUpWholeOrInPartsAndComeBackByteForByte() {
        S3Server.createBucket(proxy, "objects");
        S3Store store = new S3Store(S3Server.settings(proxy, "objects"));
        byte[] big = new byte[S3Store.MULTIPART_THRESHOLD + S3Store.PART_SIZE + 123];
        new Random(1).nextBytes(big);
        store.put("ns/repository/data/ab/big", big);
        store.put("ns/2023-02-02t16-00-00/manifest.json", "{}".getBytes());

        assertThat(store.get("ns/repository/data/ab/big")).isEqualTo(big);
        assertThat(store.getRange("ns/repository/data/ab/big", 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 30));
        assertThat(store.list("ns/")).extracting(StoredObject::key)
                .containsExactly("ns/2023-02-02t16-00-00/manifest.json", "ns/repository/data/ab/big");
        assertThat(store.listFolders("ns/")).containsExactly("2023-02-02t16-00-00", "repository");
        assertThat(store.exists("ns/nothing")).isFalse();
        assertThatThrownBy(() -> store.get("ns/nothing")).isInstanceOf(ObjectNotFoundException.class);
        store.delete("ns/repository/data/ab/big");
        assertThat(store.exists("ns/repository/data/ab/big")).isFalse();
    }

    @Test
    void aMissingBucketOrWrongCredentialsGiveOneClearError() {
        assertThatThrownBy(() -> new S3Store(S3Server.settings(proxy, "no-such-bucket")))
                .isInstanceOf(StorageException.class).hasMessageContaining("'no-such-bucket' does not exist");
        S3Server.createBucket(proxy, "guarded");
        S3Settings wrong = new S3Settings("guarded", "us-east-1", Optional.of(proxy.getUri()), Optional.of(S3Server.ACCESS), Optional.of("wrong-secret"));
        assertThatThrownBy(() -> new S3Store(wrong))
                .isInstanceOf(StorageException.class).hasMessageContaining("denied").hasMessageContaining("AWS_SECRET_KEY")
                .hasMessageNotContaining("wrong-secret");
    }

    /** Without any credentials the SDK's error lists its whole provider chain (1,400 characters); Athena says what to set. */
    @Test
    void noCredentialsAtAllIsOneLineSayingWhatToSet() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null
                && !java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".aws")), "this machine has AWS credentials");
        S3Server.createBucket(proxy, "open");
        S3Settings none = new S3Settings("open", "us-east-1", Optional.of(proxy.getUri()), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> new S3Store(none)).isInstanceOf(StorageException.class)
                .hasMessage("cannot reach s3://open: no AWS credentials found: set AWS_ACCESS_KEY and AWS_SECRET_KEY, or give the pod an IAM role"
                        + " (IRSA) or the machine an instance profile");
    }

    @Test
    void aFolderWithEveryKindOfEntryRoundTripsThroughS3Encrypted() throws Exception {
        S3Server.createBucket(proxy, "athena-ondemand-backup");
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        ObjectStore store = RetryingStore.standard(new S3Store(S3Server.settings(proxy, "athena-ondemand-backup")));
        Repository repo = Repository.open(store, "app", "correct horse battery staple", true);
        new BackupCommand(repo).volume("gitserver", source).timestamp("2023-02-02t16-00-00").call();

        Repository reopened = Repository.open(store, "app", "correct horse battery staple", false);
        Path target = tmp.resolve("target");
        new RestoreCommand(reopened, "2023-02-02t16-00-00").volume("gitserver", target).call();
        Trees.assertSameTree(source, target);
    }
}
