package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.repository.LeaderLease;
import dev.athena.repository.Repository;
import dev.athena.storage.ObjectStore;
import dev.athena.testing.ServiceFixture;
import dev.athena.testing.ServiceFixture.Reply;

/**
 * Several replicas of the service on one location and namespace, in one JVM (each with its own
 * store, API on its own port, and election; HighAvailabilityTest runs real processes): jobs asked
 * of a follower run on the leader, only the leader runs the schedule, and a leader cut off from
 * the store while a job runs fences itself before the next leader records that job as Failed.
 */
class ReplicasTest {
    private static final Duration LEASE = Duration.ofMillis(1500);

    @TempDir
    Path tmp;

    private final List<ServiceFixture> replicas = new ArrayList<>();

    private ServiceFixture replica(String name, Map<String, String> env, LeaseElectionTest.CutOffStore[] leaseStore, Runnable fence)
            throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString());
        ServiceFixture f = ServiceFixture.replica(tmp.resolve(name), all, (config, store, url) -> {
            ObjectStore forLease = store;
            if (leaseStore != null) {
                leaseStore[0] = new LeaseElectionTest.CutOffStore(store);
                forLease = leaseStore[0];
            }
            return new LeaseElection(new LeaderLease(Repository.open(forLease, config.namespace(), config.encryptionKey(), true)), name, url, LEASE);
        }, fence);
        replicas.add(f);
        return f;
    }

    @AfterEach
    void stop() {
        replicas.forEach(ServiceFixture::close);
    }

    private static boolean leads(ServiceFixture f) throws Exception {
        return MetricsTest.value(MetricsTest.parse(f.call("GET", "/metrics", null).body()), "athena_leader", java.util.Map.of()) == 1;
    }

    @Test
    void jobsAskedOfTheFollowerRunOnTheLeaderAndEitherAnswersTheirStatus() throws Exception {
        ServiceFixture a = replica("a", Map.of(), null, () -> { });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leads(a));
        ServiceFixture b = replica("b", Map.of(), null, () -> { });
        assertThat(leads(b)).isFalse();
        assertThatThrownBy(() -> b.service.startBackup(false)).isInstanceOf(NotLeaderException.class)
                .hasMessageContaining("the leader is at http://localhost:" + a.api.port());

        Reply accepted = b.call("POST", "/athena/api/v1/ondemandbackup", "{}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String ts = ServiceFixture.timestampOf(accepted);
        JsonNode done = b.awaitFinished("/athena/api/v1/backupstatus", ts);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("Success");
        assertThat(a.call("GET", "/athena/api/v1/backupstatus?timestamp=" + ts, null).json().get("status").asText()).isEqualTo("Success");
        // The leader's own components were backed up (the replicas share their volumes in a real cluster).
        assertThat(MetricsTest.value(MetricsTest.parse(a.service.metrics().render(false, true, java.util.Map.of())), "athena_backups_total", java.util.Map.of("status", "Success")))
                .isEqualTo(1);

        // Wrong input is refused by the leader as it would be by any replica, and passed back as it is.
        Reply wrong = b.call("POST", "/athena/api/v1/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"dryrun\": true}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("message").asText()).contains("dryrun", "dryRun");
        Reply unauthorized = b.send("POST", "/athena/api/v1/ondemandbackup", "{}", "Authorization", "wrong-key");
        assertThat(unauthorized.status()).isEqualTo(401);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.service.jobs().running().isEmpty());
        Reply restore = b.call("POST", "/athena/api/v1/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}");
        assertThat(restore.status()).as(restore.body()).isEqualTo(202);
        JsonNode restored = b.awaitFinished("/athena/api/v1/restorestatus", ts);
        assertThat(restored.get("status").asText()).as(restored.toString()).isEqualTo("Success");
        assertThat(b.service.jobs().running()).isEmpty();
    }

    /** Only the leader archives the WAL; GET /walstatus asked of a follower is answered by the leader. */
    @Test
    void theWalArchiveStatusAskedOfAFollowerIsTheLeaders() throws Exception {
        try (dev.athena.testing.PostgresCluster pg = new dev.athena.testing.PostgresCluster("replicas-wal")) {
            Map<String, String> env = Map.of("POSTGRES_HOST", "127.0.0.1", "POSTGRES_PORT", Integer.toString(pg.port), "POSTGRES_PASSWORD",
                    dev.athena.testing.PostgresCluster.PASSWORD, "POSTGRES_BACKUP_MODE", "physical", "POSTGRES_WAL_ARCHIVE", "true",
                    "WAL_UPLOAD_INTERVAL_SECONDS", "1");
            ServiceFixture a = replica("a", env, null, () -> { });
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leads(a));
            ServiceFixture b = replica("b", env, null, () -> { });
            assertThat(leads(b)).isFalse();
            assertThat(b.service.walStatus()).as("the follower does not archive").isEmpty();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> a.call("GET", "/athena/api/v1/walstatus", null).json().path("streaming")
                    .asBoolean());
            Reply asked = b.call("GET", "/athena/api/v1/walstatus", null);
            assertThat(asked.status()).as(asked.body()).isEqualTo(200);
            assertThat(asked.json().get("streaming").asBoolean()).isTrue();
            assertThat(asked.json().get("timeline").asInt()).isEqualTo(1);
        }
    }

    @Test
    void onlyTheLeaderRunsTheSchedule() throws Exception {
        Map<String, String> every2s = Map.of("ENABLE_REGULAR_BACKUPS", "true", "BACKUP_FREQUENCY", "*/2 * * * * *");
        ServiceFixture a = replica("a", every2s, null, () -> { });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leads(a));
        replica("b", every2s, null, () -> { });
        replica("c", every2s, null, () -> { });
        // Four due times, two seconds apart, with three replicas ticking through each.
        List<String> timestamps = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> seen = new ArrayList<>();
            for (JsonNode r : a.call("GET", "/athena/api/v1/backuplist", null).json()) {
                seen.add(r.get("timestamp").asText());
            }
            return seen;
        }, seen -> seen.size() >= 4);
        // Two replicas firing at one due time would have made names a second apart (the later one takes the next free second).
        List<String> sorted = timestamps.stream().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            long gap = java.time.Duration.between(dev.athena.backup.Timestamps.parse(sorted.get(i - 1)),
                    dev.athena.backup.Timestamps.parse(sorted.get(i))).toSeconds();
            assertThat(gap).as("seconds between %s and %s", sorted.get(i - 1), sorted.get(i)).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aLeaderCutOffWhileAJobRunsFencesItselfBeforeTheNextLeaderRecordsTheJobFailed() throws Exception {
        LeaseElectionTest.CutOffStore[] aLease = new LeaseElectionTest.CutOffStore[1];
        AtomicLong fencedAt = new AtomicLong();
        ServiceFixture a = replica("a", Map.of(), aLease, () -> fencedAt.compareAndSet(0, System.nanoTime()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> leads(a));
        ServiceFixture b = replica("b", Map.of(), null, () -> { });
        a.blocking.hold();
        Reply accepted = b.call("POST", "/athena/api/v1/ondemandbackup", "{}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String ts = ServiceFixture.timestampOf(accepted);
        assertThat(a.blocking.awaitEntered()).isTrue();

        aLease[0].cut = true;
        long tookOver = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> b.service.leadership().isLeader() ? System.nanoTime() : 0L, t -> t > 0);
        assertThat(fencedAt.get()).as("a fenced itself").isPositive();
        assertThat(Duration.ofNanos(tookOver - fencedAt.get())).as("from a's fence to b's leadership").isPositive();

        JsonNode failed = b.awaitFinished("/athena/api/v1/backupstatus", ts);
        assertThat(failed.get("status").asText()).isEqualTo("Failed");
        assertThat(failed.get("error").asText()).contains("interrupted: the leader a (pid", "stopped renewing its lease", "another replica took over");

        // The new leader takes jobs at once; a, fenced, would have stopped here (serve halts the process).
        b.blocking.hold();
        b.blocking.release();
        Reply next = b.call("POST", "/athena/api/v1/ondemandbackup", "{}");
        assertThat(next.status()).as(next.body()).isEqualTo(202);
        assertThat(b.awaitFinished("/athena/api/v1/backupstatus", ServiceFixture.timestampOf(next)).get("status").asText()).isEqualTo("Success");
    }

    @Test
    void noJobStartsOnANewLeaderBeforeItHasRecordedWhatItsPredecessorLeftRunning() throws Exception {
        Leadership.Listener[] listener = new Leadership.Listener[1];
        Leadership electedButNotYetTold = new Leadership() {
            @Override
            public void start(Listener l) {
                listener[0] = l;
            }

            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public java.util.Optional<String> leaderUrl() {
                return java.util.Optional.empty();
            }

            @Override
            public void release() {
            }

            @Override
            public void close() {
            }
        };
        ServiceFixture a = ServiceFixture.replica(tmp.resolve("a"), Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString()),
                (config, store, url) -> electedButNotYetTold, () -> { });
        replicas.add(a);
        Reply early = a.call("POST", "/athena/api/v1/ondemandbackup", "{}");
        assertThat(early.status()).isEqualTo(503);
        assertThat(early.json().get("message").asText()).contains("has just become the leader", "try again");
        listener[0].elected(null, null);
        // Once told, the leader may be running its retention sweep (a CI run met it): the backup waits behind it, no 409.
        Reply later = a.call("POST", "/athena/api/v1/ondemandbackup", "{}");
        assertThat(later.status()).as(later.body()).isEqualTo(202);
    }
}
