package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.athena.backup.BackupCommand;
import dev.athena.config.StorageConfig;
import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.testing.S3Implementations;
import dev.athena.testing.S3Implementations.Endpoint;
import dev.athena.testing.Trees;

/**
 * The same round trip against every S3 implementation that runs here (S3Proxy 4.1 and 2.6, Adobe
 * S3Mock 5.2, s3rver 3.7; real servers on loopback, never a mock): what Athena needs of a store,
 * then a whole encrypted backup, verify and restore through the store as {@code serve} opens it.
 */
class S3StoreContractTest {
    @TempDir
    Path tmp;

    static List<String> implementations() {
        return S3Implementations.NAMES;
    }

    private static int buckets;

    private static synchronized String bucket() {
        return "contract-" + System.nanoTime() % 100000 + "-" + (++buckets);
    }

    private static S3Store open(Endpoint server) {
        String bucket = bucket();
        server.createBucket(bucket);
        return new S3Store(server.settings(bucket));
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void objectsWholeInPartsAndRangesComeBackByteForByte(String name) throws Exception {
        S3Store store = open(S3Implementations.get(name));
        byte[] big = new byte[S3Store.MULTIPART_THRESHOLD + S3Store.PART_SIZE + 123];
        new Random(1).nextBytes(big);
        store.put("ns/repository/data/ab/big", big);
        byte[] small = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        store.put("ns/2023-02-02t16-00-00/manifest.json", small);
        byte[] prefix = Arrays.copyOf(big, 1000);
        store.put("ns/repository/index/prefix", prefix, 600);

        assertThat(store.get("ns/repository/data/ab/big")).isEqualTo(big);
        assertThat(store.size("ns/repository/data/ab/big")).isEqualTo(big.length);
        assertThat(store.get("ns/2023-02-02t16-00-00/manifest.json")).isEqualTo(small);
        assertThat(store.get("ns/repository/index/prefix")).isEqualTo(Arrays.copyOf(big, 600));
        assertThat(store.getRange("ns/repository/data/ab/big", 0, 16)).isEqualTo(Arrays.copyOfRange(big, 0, 16));
        assertThat(store.getRange("ns/repository/data/ab/big", S3Store.PART_SIZE - 5, 10))
                .isEqualTo(Arrays.copyOfRange(big, S3Store.PART_SIZE - 5, S3Store.PART_SIZE + 5));
        assertThat(store.getRange("ns/repository/data/ab/big", big.length - 7, 7)).isEqualTo(Arrays.copyOfRange(big, big.length - 7, big.length));
        // Metadata is read as "at most N bytes": a short object comes back whole, an empty one as no bytes (S3 answers that range 416).
        assertThat(store.getRange("ns/2023-02-02t16-00-00/manifest.json", 0, 64 << 20)).isEqualTo(small);
        store.put("other/empty", new byte[0]);
        assertThat(store.getRange("other/empty", 0, 100)).isEmpty();
        store.delete("other/empty");
        try (InputStream in = store.open("ns/2023-02-02t16-00-00/manifest.json")) {
            assertThat(in.readAllBytes()).isEqualTo(small);
        }
        assertThat(store.list("ns/")).extracting(StoredObject::key)
                .containsExactly("ns/2023-02-02t16-00-00/manifest.json", "ns/repository/data/ab/big", "ns/repository/index/prefix");
        assertThat(store.list("ns/repository/data/")).extracting(StoredObject::size).containsExactly((long) big.length);
        // What Athena lists folders for: the backups' folders, which hold objects directly. (s3rver leaves out
        // a folder that holds only sub-folders, "repository" here; Athena never asks for one.)
        assertThat(store.listFolders("ns/")).contains("2023-02-02t16-00-00").isSubsetOf("2023-02-02t16-00-00", "repository");
        assertThat(store.listFolders("ns/repository/")).contains("index").isSubsetOf("data", "index");

        assertThat(store.exists("ns/nothing")).isFalse();
        assertThatThrownBy(() -> store.get("ns/nothing")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.getRange("ns/nothing", 0, 10)).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.size("ns/nothing")).isInstanceOf(ObjectNotFoundException.class);
        assertThatThrownBy(() -> store.open("ns/nothing").close()).isInstanceOf(ObjectNotFoundException.class);

        store.delete("ns/repository/data/ab/big");
        store.delete("ns/repository/data/ab/big");
        assertThat(store.exists("ns/repository/data/ab/big")).isFalse();
        assertThat(store.list("ns/repository/")).extracting(StoredObject::key).containsExactly("ns/repository/index/prefix");
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void listingsGoPastOneThousandKeys(String name) throws Exception {
        S3Store store = open(S3Implementations.get(name));
        byte[] one = {1};
        List<String> keys = IntStream.range(0, 1105).mapToObj(i -> String.format("ns/repository/locks/%05d", i)).toList();
        keys.parallelStream().forEach(k -> store.put(k, one));
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < 1003; i++) {
            folders.add(String.format("2023-01-01t%02d-%02d-%02d", i / 3600, (i / 60) % 60, i % 60));
        }
        folders.parallelStream().forEach(f -> store.put("ns/" + f + "/status.json", one));

        assertThat(store.list("ns/repository/locks/")).extracting(StoredObject::key).containsExactlyElementsOf(keys);
        assertThat(store.listFolders("ns/")).filteredOn(f -> !f.equals("repository")).containsExactlyElementsOf(folders);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void aMissingBucketAndWrongCredentialsAreOneClearError(String name) {
        Endpoint server = S3Implementations.get(name);
        assertThatThrownBy(() -> new S3Store(server.settings("no-such-bucket-here")))
                .isInstanceOf(StorageException.class).hasMessageContaining("'no-such-bucket-here' does not exist");
        if (server.checksCredentials()) {
            String bucket = bucket();
            server.createBucket(bucket);
            S3Settings wrong = new S3Settings(bucket, "us-east-1", Optional.of(server.uri()), Optional.of("wrong-access-key"),
                    Optional.of("wrong-secret-value"));
            assertThatThrownBy(() -> new S3Store(wrong))
                    .isInstanceOf(StorageException.class).hasMessageContaining("denied").hasMessageContaining("AWS_SECRET_KEY")
                    .hasMessageNotContaining("wrong-secret-value");
        }
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void anEncryptedBackupVerifiesAndRestoresThroughTheStoreAsServeOpensIt(String name) throws Exception {
        Endpoint server = S3Implementations.get(name);
        String bucket = bucket();
        server.createBucket(bucket);
        StorageConfig config = StorageConfig.fromEnv(java.util.Map.of("BACKUP_LOCATION_TYPE", "s3", "AWS_S3_BUCKET_NAME", bucket,
                "AWS_S3_ENDPOINT", server.uri().toString(), "AWS_ACCESS_KEY", server.accessKey(), "AWS_SECRET_KEY", server.secretKey()));
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Trees.randomFiles(source.resolve("large"), 3, 9 * 1024 * 1024, 7);
        ObjectStore store = config.open();
        Repository repo = Repository.open(store, "app", "correct horse battery staple", true);
        new BackupCommand(repo).volume("gitserver", source).timestamp("2023-02-02t16-00-00").call();

        Repository reopened = Repository.open(config.open(), "app", "correct horse battery staple", false);
        VerifyCommand.Report report = new VerifyCommand(reopened).call();
        assertThat(report.problems()).isEmpty();
        assertThat(report.backups()).containsExactly("2023-02-02t16-00-00");
        Path target = tmp.resolve("target");
        new RestoreCommand(reopened, "2023-02-02t16-00-00").volume("gitserver", target).call();
        Trees.assertSameTree(source, target);
    }
}
