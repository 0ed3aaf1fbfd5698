package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * One job at a time; a retention sweep (alone or after a backup) lets one request wait behind
 * it instead of refusing it, since the contract's 409 means a backup or restore is running.
 */
class JobRunnerTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private JobRunner.Job job(String name, CountDownLatch gate) {
        return new JobRunner.Job(name, () -> {
            events.add(name + " started");
            await(gate);
            events.add(name + " ended");
        }, () -> events.add(name + " interrupted"));
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aSecondJobWhileABackupRunsIsRefused() {
        try (JobRunner jobs = new JobRunner()) {
            CountDownLatch gate = new CountDownLatch(1);
            assertThat(jobs.start(job("backup", gate), () -> { })).isTrue();
            Awaitility.await().until(() -> events.contains("backup started"));
            assertThat(jobs.start(job("restore", new CountDownLatch(0)), () -> events.add("restore prepared"))).isFalse();
            assertThat(events).doesNotContain("restore prepared");
            gate.countDown();
            Awaitility.await().until(() -> jobs.running().isEmpty());
            assertThat(jobs.start(job("restore", new CountDownLatch(0)), () -> { })).isTrue();
        }
    }

    @Test
    void aRequestDuringASweepWaitsBehindItAndASecondOneIsRefused() {
        try (JobRunner jobs = new JobRunner()) {
            CountDownLatch sweepGate = new CountDownLatch(1);
            assertThat(jobs.startSweep("retention sweep", () -> {
                events.add("sweep started");
                await(sweepGate);
                events.add("sweep ended");
            })).isTrue();
            Awaitility.await().until(() -> events.contains("sweep started"));

            assertThat(jobs.start(job("backup", new CountDownLatch(0)), () -> events.add("backup prepared"))).isTrue();
            assertThat(jobs.running()).contains("retention sweep");
            assertThat(jobs.start(job("restore", new CountDownLatch(0)), () -> events.add("restore prepared"))).isFalse();
            assertThat(jobs.startSweep("another sweep", () -> events.add("another sweep"))).isFalse();

            sweepGate.countDown();
            Awaitility.await().until(() -> jobs.running().isEmpty());
            assertThat(events).containsExactly("sweep started", "backup prepared", "sweep ended", "backup started", "backup ended");
        }
    }

    @Test
    void theSweepAfterABackupLetsTheNextRequestWaitButTheBackupItselfDoesNot() {
        try (JobRunner jobs = new JobRunner()) {
            CountDownLatch backupGate = new CountDownLatch(1);
            CountDownLatch sweepGate = new CountDownLatch(1);
            assertThat(jobs.start(new JobRunner.Job("backup", () -> {
                events.add("backup started");
                await(backupGate);
                jobs.yieldToNext();
                events.add("backup recorded");
                events.add("sweep started");
                await(sweepGate);
            }, () -> { }), () -> { })).isTrue();
            Awaitility.await().until(() -> events.contains("backup started"));
            assertThat(jobs.start(job("early", new CountDownLatch(0)), () -> { })).isFalse();

            backupGate.countDown();
            Awaitility.await().until(() -> events.contains("sweep started"));
            assertThat(jobs.start(job("next", new CountDownLatch(0)), () -> { })).isTrue();
            assertThat(events).doesNotContain("next started");
            sweepGate.countDown();
            Awaitility.await().until(() -> events.contains("next ended"));
        }
    }

    @Test
    void aRequestWaitingBehindASweepWhenTheServiceStopsIsRecordedInterruptedAndNeverStarts() {
        JobRunner jobs = new JobRunner();
        CountDownLatch sweepGate = new CountDownLatch(1);
        jobs.startSweep("retention sweep", () -> await(sweepGate));
        assertThat(jobs.start(job("backup", new CountDownLatch(0)), () -> { })).isTrue();
        // The sweep ends once the shutdown has begun, within its grace: the backup behind it must not start then.
        Thread releaser = new Thread(() -> {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(jobs::stopping);
            sweepGate.countDown();
        });
        releaser.start();
        assertThat(jobs.shutdown(Duration.ofSeconds(20))).isTrue();
        assertThat(events).containsExactly("backup interrupted");
    }
}
