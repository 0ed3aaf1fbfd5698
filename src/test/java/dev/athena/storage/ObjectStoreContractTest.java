package dev.athena.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.athena.testing.FaultProxy;
import dev.athena.testing.FaultProxy.Fault;
import dev.athena.testing.S3Implementations;

/**
 * The store contract ({@link StoreContract}) on the stores that are not an S3 implementation of
 * their own: a local folder, a local folder as serve opens it (read-back and retries), and S3Proxy
 * behind a proxy that fails the first try of half the requests (a real server, real faults). Every
 * S3 implementation runs the same contract in {@link S3StoreContractTest}.
 */
class ObjectStoreContractTest {
    @TempDir
    Path tmp;
    private FaultProxy proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ObjectStore store(String kind) throws Exception {
        return switch (kind) {
            case "local" -> new LocalStore(tmp.resolve("store"));
            case "local-as-served" -> RetryingStore.standard(new ReadBackStore(new LocalStore(tmp.resolve("store"))));
            case "s3-with-faults" -> {
                S3Implementations.Endpoint s3 = S3Implementations.get("s3proxy-4.1");
                String bucket = "contract-faults-" + System.nanoTime() % 1_000_000;
                s3.createBucket(bucket);
                proxy = new FaultProxy(s3.uri());
                Set<String> seen = ConcurrentHashMap.newKeySet();
                List<Fault> kinds = List.of(Fault.SERVER_ERROR, Fault.SLOW_DOWN, Fault.TRUNCATED_BODY, Fault.RESET_DURING_DOWNLOAD,
                        Fault.RESET_DURING_UPLOAD);
                proxy.policy((n, method, path) -> {
                    String request = method + " " + path;
                    if (!seen.add(request) || (request.hashCode() & 1) != 0) {
                        return Fault.NONE;
                    }
                    Fault f = kinds.get(Math.floorMod(request.hashCode() >> 1, kinds.size()));
                    boolean fits = switch (f) {
                        case TRUNCATED_BODY, RESET_DURING_DOWNLOAD -> method.equals("GET");
                        case RESET_DURING_UPLOAD -> method.equals("PUT") || method.equals("POST");
                        default -> true;
                    };
                    return fits ? f : Fault.SERVER_ERROR;
                });
                S3Settings settings = new S3Settings(bucket, "us-east-1", Optional.of(proxy.uri()), Optional.of(s3.accessKey()),
                        Optional.of(s3.secretKey()));
                yield RetryingStore.standard(new ReadBackStore(new S3Store(settings, Duration.ofSeconds(5))));
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "local-as-served", "s3-with-faults"})
    void everyStoreKeepsTheContract(String kind) throws Exception {
        StoreContract.roundTrip(store(kind), S3Store.MULTIPART_THRESHOLD + S3Store.PART_SIZE + 123, S3Store.PART_SIZE);
        if (proxy != null) {
            org.assertj.core.api.Assertions.assertThat(proxy.faults()).as("faults injected").isPositive();
        }
    }

    /**
     * S3 answers a range of an empty object 416, so the store asks for its size: when that request
     * fails with a transient error, the read is tried again rather than failed as a 416.
     */
    @org.junit.jupiter.api.Test
    void anEmptyObjectReadsAsNoBytesWhenItsSizeRequestFailsOnce() throws Exception {
        ObjectStore store = store("s3-with-faults");
        proxy.policy((n, method, path) -> Fault.NONE);
        store.put("ns/empty", new byte[0]);
        java.util.concurrent.atomic.AtomicInteger heads = new java.util.concurrent.atomic.AtomicInteger();
        proxy.policy((n, method, path) -> method.equals("HEAD") && heads.incrementAndGet() == 1 ? Fault.SERVER_ERROR : Fault.NONE);
        org.assertj.core.api.Assertions.assertThat(store.getRange("ns/empty", 0, 100)).isEmpty();
        org.assertj.core.api.Assertions.assertThat(heads.get()).as("the size asked for again after the failure").isGreaterThanOrEqualTo(2);
    }
}
