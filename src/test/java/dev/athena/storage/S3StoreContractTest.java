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
        StoreContract.roundTrip(open(S3Implementations.get(name)), S3Store.MULTIPART_THRESHOLD + S3Store.PART_SIZE + 123, S3Store.PART_SIZE);
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void listingsGoPastOneThousandKeys(String name) throws Exception {
        S3Store store = open(S3Implementations.get(name));
        byte[] one = {1};
        List<String> keys = IntStream.range(0, 1105).mapToObj(i -> String.format("ns/repository/locks/%05d", i)).toList();
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < 1003; i++) {
            folders.add(String.format("2023-01-01t%02d-%02d-%02d", i / 3600, (i / 60) % 60, i % 60));
        }
        // 2,108 small writes: 16 at a time (a parallel stream runs one per core, two here), as the servers answer slowly one by one.
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
            keys.forEach(k -> writes.add(writers.submit(() -> store.put(k, one))));
            folders.forEach(f -> writes.add(writers.submit(() -> store.put("ns/" + f + "/status.json", one))));
            for (java.util.concurrent.Future<?> w : writes) {
                w.get();
            }
        } finally {
            writers.shutdownNow();
        }

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
