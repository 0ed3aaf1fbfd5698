package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.testing.FaultProxy;
import dev.athena.testing.FaultProxy.Fault;
import dev.athena.testing.S3Implementations;
import dev.athena.testing.Trees;

/**
 * Faults between Athena and a real S3 server (S3Proxy), injected by a proxy on loopback:
 * transient ones are retried and the backup and restore succeed exactly; lasting ones fail the
 * backup naming the store and the operation, leave earlier backups intact, and the next backup
 * after the fault clears succeeds.
 */
class StorageFaultsTest {
    private static final String KEY = "storage-faults-key";
    @TempDir
    Path tmp;
    FaultProxy proxy;
    S3Implementations.Endpoint s3;
    String bucket;

    @BeforeEach
    void start() throws Exception {
        s3 = S3Implementations.get("s3proxy-4.1");
        bucket = "faults-" + System.nanoTime() % 1_000_000;
        s3.createBucket(bucket);
        proxy = new FaultProxy(s3.uri());
        proxy.stallMillis(3000);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    /** The store as serve opens it (read-back, retries), through the proxy, with a 2 s silence timeout instead of 60. */
    private ObjectStore throughProxy() {
        S3Settings settings = new S3Settings(bucket, "us-east-1", Optional.of(proxy.uri()), Optional.of(s3.accessKey()), Optional.of(s3.secretKey()));
        return RetryingStore.standard(new ReadBackStore(new S3Store(settings, Duration.ofSeconds(2))));
    }

    private ObjectStore direct() {
        return RetryingStore.standard(new ReadBackStore(new S3Store(s3.settings(bucket))));
    }

    private static final List<Fault> KINDS = List.of(Fault.SLOW_DOWN, Fault.SERVER_ERROR, Fault.RESET_DURING_UPLOAD,
            Fault.RESET_DURING_DOWNLOAD, Fault.STALL, Fault.TRUNCATED_BODY);

    @Test
    void everyKindOfTransientFaultIsRetriedAndTheBackupRestoresExactly() throws Exception {
        Path source = tmp.resolve("source");
        Trees.buildEveryKind(source);
        Trees.randomFiles(source.resolve("large"), 2, 9 * 1024 * 1024, 11);
        ObjectStore store = throughProxy();
        Repository repo = Repository.open(store, "app", KEY, true);
        // A transient fault: the first try of the first few distinct requests (method and key) of each method, one per kind of fault
        // that fits it, and then of about half of the others, fails with the next kind (an upload fault only on uploads, a download
        // fault only on reads); asked again, it succeeds. Every kind is injected whatever the bucket's name does to the hashes.
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<Fault> injected = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Map<String, java.util.concurrent.atomic.AtomicInteger> turns = new java.util.concurrent.ConcurrentHashMap<>();
        proxy.policy((n, method, path) -> {
            String request = method + " " + path;
            if (!seen.add(request)) {
                return Fault.NONE;
            }
            List<Fault> fitting = switch (method) {
                case "GET" -> List.of(Fault.SLOW_DOWN, Fault.SERVER_ERROR, Fault.RESET_DURING_DOWNLOAD, Fault.STALL, Fault.TRUNCATED_BODY);
                case "PUT", "POST" -> List.of(Fault.SLOW_DOWN, Fault.SERVER_ERROR, Fault.RESET_DURING_UPLOAD, Fault.STALL);
                default -> List.of(Fault.SLOW_DOWN, Fault.SERVER_ERROR, Fault.STALL);
            };
            int turn = turns.computeIfAbsent(method, k -> new java.util.concurrent.atomic.AtomicInteger()).getAndIncrement();
            if (turn >= fitting.size() && (request.hashCode() & 1) != 0) {
                return Fault.NONE;
            }
            Fault f = fitting.get(turn % fitting.size());
            injected.add(f);
            return f;
        });
        new BackupCommand(repo).volume("metagraph", source).timestamp("2024-01-01t00-00-00").call();
        Repository reopened = Repository.open(throughProxy(), "app", KEY, false);
        assertThat(new VerifyCommand(reopened).call().problems()).isEmpty();
        Path target = tmp.resolve("target");
        new RestoreCommand(reopened, "2024-01-01t00-00-00").volume("metagraph", target).call();
        Trees.assertSameTree(source, target);
        assertThat(injected).as("kinds of fault injected").containsExactlyInAnyOrderElementsOf(KINDS);
        assertThat(proxy.faults()).as("faults injected").isGreaterThanOrEqualTo(KINDS.size());
    }

    @Test
    void aLastingFaultFailsTheBackupNamingTheStoreAndTheNextOneAfterItClearsSucceeds() throws Exception {
        Path first = Trees.randomFiles(tmp.resolve("first"), 3, 200_000, 1);
        Repository repo = Repository.open(throughProxy(), "app", KEY, true);
        new BackupCommand(repo).volume("metagraph", first).timestamp("2024-01-01t00-00-00").call();

        Path second = Trees.randomFiles(tmp.resolve("second"), 3, 200_000, 2);
        proxy.policy((n, method, path) -> method.equals("PUT") ? Fault.SLOW_DOWN : Fault.NONE);
        assertThatThrownBy(() -> new BackupCommand(Repository.open(throughProxy(), "app", KEY, false)).volume("metagraph", second)
                .timestamp("2024-01-01t01-00-00").call())
                .hasMessageContaining("cannot write s3://" + bucket + "/app/")
                .hasMessageContaining("HTTP 503");

        proxy.policy((n, method, path) -> Fault.NONE);
        Repository after = Repository.open(direct(), "app", KEY, false);
        assertThat(after.timestamps()).containsExactly("2024-01-01t00-00-00");
        assertThat(new VerifyCommand(after).call().problems()).isEmpty();
        Path restored = tmp.resolve("restored-first");
        new RestoreCommand(after, "2024-01-01t00-00-00").volume("metagraph", restored).call();
        Trees.assertSameTree(first, restored);

        new BackupCommand(Repository.open(throughProxy(), "app", KEY, false)).volume("metagraph", second).timestamp("2024-01-01t02-00-00").call();
        Path restoredSecond = tmp.resolve("restored-second");
        new RestoreCommand(Repository.open(direct(), "app", KEY, false), "2024-01-01t02-00-00").volume("metagraph", restoredSecond).call();
        Trees.assertSameTree(second, restoredSecond);
    }

    @Test
    void aStoreThatKeepsFailingReadsFailsTheRestoreBeforeItWritesAnything() throws Exception {
        Path first = Trees.randomFiles(tmp.resolve("first"), 3, 200_000, 3);
        new BackupCommand(Repository.open(throughProxy(), "app", KEY, true)).volume("metagraph", first).timestamp("2024-01-01t00-00-00").call();
        Repository repo = Repository.open(throughProxy(), "app", KEY, false);
        Path target = tmp.resolve("target");
        Trees.write(target.resolve("keep.txt"), "the destination's own".getBytes());
        var before = Trees.describe(target);
        proxy.policy((n, method, path) -> method.equals("GET") && path.contains("/data/") ? Fault.SERVER_ERROR : Fault.NONE);
        assertThatThrownBy(() -> new RestoreCommand(repo, "2024-01-01t00-00-00").volume("metagraph", target).call())
                .hasMessageContaining("s3://" + bucket + "/app/repository/data/");
        assertThat(Trees.describe(target)).isEqualTo(before);
    }
}
