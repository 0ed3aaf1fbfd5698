package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.LeaderLease;
import dev.athena.repository.Repository;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.S3Store;
import dev.athena.storage.StorageException;
import dev.athena.storage.StoredObject;
import dev.athena.testing.S3Implementations;

/**
 * Leader election through a lease in the backup store, on a disk and on real S3 servers: never
 * two leaders at once, a dead leader replaced within the lease's time, a released lease taken
 * over at once, and a leader cut off from the store giving up before anyone takes over.
 * (Replicas here are threads with their own store objects; HighAvailabilityTest runs processes.)
 */
class LeaseElectionTest {
    private static final Duration LEASE = Duration.ofMillis(1500);

    @TempDir
    Path tmp;

    private final List<LeaseElection> elections = new ArrayList<>();

    /** A store a test can cut off, as a network partition between one replica and the bucket would. */
    static final class CutOffStore extends ForwardingStore {
        volatile boolean cut;

        CutOffStore(ObjectStore inner) {
            super(inner);
        }

        private void check(String key) {
            if (cut) {
                throw new StorageException("injected partition: cannot reach the store for " + key, null);
            }
        }

        @Override
        public void put(String key, byte[] data) {
            check(key);
            inner.put(key, data);
        }

        @Override
        public byte[] get(String key) {
            check(key);
            return inner.get(key);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            check(prefix);
            return inner.list(prefix);
        }

        @Override
        public void delete(String key) {
            check(key);
            inner.delete(key);
        }
    }

    /** Events a replica's listener saw, with when. */
    record Event(String replica, String what, long nanos) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    private LeaseElection replica(String name, ObjectStore store) {
        LeaseElection e = new LeaseElection(new LeaderLease(Repository.open(store, "prod", "lease-test-key", true)), name,
                "http://" + name + ":8080", LEASE);
        elections.add(e);
        e.start(new Leadership.Listener() {
            @Override
            public void elected(LeaderLease.Holder previous, Instant lastSeenAlive) {
                events.add(new Event(name, "elected" + (previous == null ? "" : " after " + previous.hostname()), System.nanoTime()));
            }

            @Override
            public void lost(String reason) {
                events.add(new Event(name, "lost: " + reason, System.nanoTime()));
            }
        });
        return e;
    }

    @AfterEach
    void stop() {
        elections.forEach(LeaseElection::close);
    }

    private Supplier<ObjectStore> stores(String where) {
        if (where.equals("disk")) {
            return () -> new LocalStore(tmp.resolve("backups"));
        }
        var s3 = S3Implementations.get(where);
        String bucket = "lease-" + Math.abs(tmp.hashCode());
        s3.createBucket(bucket);
        // As serve opens the lease's store: a stalled read is given up soon (s3rver can stall a read of an object being rewritten).
        return () -> new S3Store(s3.settings(bucket), Duration.ofMillis(250));
    }

    /** Samples every replica's view every 5 ms for {@code during}; returns how many samples had a leader. Fails on two at once. */
    private int watch(List<LeaseElection> replicas, Duration during) {
        java.util.concurrent.atomic.AtomicInteger led = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong most = new java.util.concurrent.atomic.AtomicLong();
        // Every sample counts, not only the last: the condition records and always holds, so this polls for exactly `during`.
        Awaitility.await().during(during).atMost(during.plusSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> {
            long leaders = replicas.stream().filter(LeaseElection::isLeader).count();
            led.addAndGet(leaders == 1 ? 1 : 0);
            most.accumulateAndGet(leaders, Math::max);
            return true;
        });
        assertThat(most.get()).as("replicas that counted themselves leader at once").isLessThanOrEqualTo(1);
        return led.get();
    }

    private static LeaseElection leaderOf(List<LeaseElection> replicas) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> replicas.stream().filter(LeaseElection::isLeader).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"disk", "s3proxy-4.1", "s3rver-3.7"})
    void oneLeaderAtATimeAndADeadOneReplacedWithinTheLease(String where) throws Exception {
        Supplier<ObjectStore> store = stores(where);
        List<LeaseElection> replicas = new ArrayList<>(List.of(replica("a", store.get()), replica("b", store.get()), replica("c", store.get())));
        LeaseElection first = leaderOf(replicas);
        assertThat(watch(replicas, Duration.ofSeconds(3))).as("samples with a leader").isGreaterThan(100);
        assertThat(events.stream().filter(e -> e.what().startsWith("elected")).count()).as(events.toString()).isEqualTo(1);

        // The leader dies without a word: its lease is simply no longer renewed.
        long died = System.nanoTime();
        first.close();
        LeaseElection second = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> replicas.stream().filter(r -> r != first && r.isLeader()).findFirst().orElse(null), java.util.Objects::nonNull);
        Duration handover = Duration.ofNanos(System.nanoTime() - died);
        // It died up to one renewal after its last one, and the others wait a whole lease from that renewal.
        assertThat(handover).as("handover after the leader died").isGreaterThan(LEASE.multipliedBy(2).dividedBy(3)).isLessThan(LEASE.multipliedBy(3));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.get(events.size() - 1).what(),
                w -> w.equals("elected after " + first.self().hostname()));
        replicas.remove(first);
        watch(replicas, Duration.ofSeconds(2));
        assertThat(second.isLeader()).isTrue();
        // The other one knows where the leader is, to forward jobs there.
        LeaseElection other = replicas.stream().filter(r -> r != second).findFirst().orElseThrow();
        assertThat(other.leaderUrl()).contains(second.self().url());
    }

    @Test
    void aReleasedLeaseIsTakenOverAtOnce() throws Exception {
        Supplier<ObjectStore> store = stores("disk");
        List<LeaseElection> replicas = List.of(replica("a", store.get()), replica("b", store.get()));
        LeaseElection first = leaderOf(replicas);
        watch(replicas, Duration.ofMillis(500));
        long released = System.nanoTime();
        first.release();
        LeaseElection second = replicas.get(0) == first ? replicas.get(1) : replicas.get(0);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(second::isLeader);
        assertThat(Duration.ofNanos(System.nanoTime() - released)).as("handover after a release").isLessThan(LEASE);
        assertThat(first.isLeader()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"disk", "s3proxy-4.1"})
    void aLeaderCutOffFromTheStoreGivesUpBeforeAnotherTakesOver(String where) throws Exception {
        Supplier<ObjectStore> store = stores(where);
        CutOffStore aStore = new CutOffStore(store.get());
        LeaseElection a = replica("a", aStore);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
        LeaseElection b = replica("b", store.get());
        List<LeaseElection> both = List.of(a, b);
        watch(both, Duration.ofMillis(600));
        aStore.cut = true;
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            assertThat(a.isLeader() && b.isLeader()).as("two leaders").isFalse();
            return b.isLeader();
        });
        // The listeners run on their own thread, a moment after the election decided.
        Event lost = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                .filter(e -> e.replica().equals("a") && e.what().startsWith("lost")).findFirst().orElse(null), java.util.Objects::nonNull);
        Event elected = Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                .filter(e -> e.replica().equals("b") && e.what().startsWith("elected")).findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(lost.what()).contains("could not renew its lease", "injected partition");
        assertThat(Duration.ofNanos(elected.nanos() - lost.nanos())).as("from a giving up to b taking over")
                .isGreaterThanOrEqualTo(LEASE.dividedBy(4));
        // The partition heals: a sees the newer term and stays a follower.
        aStore.cut = false;
        watch(both, Duration.ofSeconds(2));
        assertThat(b.isLeader()).isTrue();
        assertThat(a.leaderUrl()).contains("http://b:8080");
    }
}
