package dev.athena.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ProgressMeter meter = new ProgressMeter(nanos::get);

    @Test
    void aPhaseWithAKnownTotalGivesItsShareRateAndTimeLeft() {
        meter.phase("restore", 100L * 1024 * 1024, 40, false);
        meter.componentStarted("metagraph");
        meter.addBytes(25L * 1024 * 1024);
        meter.addFiles(10);
        nanos.addAndGet(5_000_000_000L);

        ProgressMeter.Snapshot s = meter.snapshot();
        assertThat(s.phase()).isEqualTo("restore");
        assertThat(s.components()).containsExactly("metagraph");
        assertThat(s.bytesDone()).isEqualTo(25L * 1024 * 1024);
        assertThat(s.bytesTotal()).isEqualTo(100L * 1024 * 1024);
        assertThat(s.filesDone()).isEqualTo(10);
        assertThat(s.filesTotal()).isEqualTo(40);
        assertThat(s.percent()).isEqualTo(25.0);
        assertThat(s.bytesPerSecond()).isEqualTo(5L * 1024 * 1024);
        assertThat(s.secondsLeft()).isEqualTo(15);
        assertThat(s.totalsEstimated()).isFalse();
        assertThat(s.phaseElapsedMs()).isEqualTo(5000);
        assertThat(s.describe()).isEqualTo("restore: metagraph 25.0 MiB of 100.0 MiB (25.0%), 10 files of 40, 5.0 MiB/s, about 15 s left");
    }

    @Test
    void aNewPhaseStartsFromNothingAndAnEndedComponentLeavesTheList() {
        meter.phase("backing up", -1, -1, true);
        meter.componentStarted("postgres");
        meter.componentStarted("gitserver");
        meter.addBytes(1000);
        meter.componentEnded("postgres");
        assertThat(meter.snapshot().components()).containsExactly("gitserver");

        meter.phase("writing the index and manifest");
        ProgressMeter.Snapshot s = meter.snapshot();
        assertThat(s.bytesDone()).isZero();
        assertThat(s.bytesTotal()).isNull();
        assertThat(s.percent()).isNull();
        assertThat(s.secondsLeft()).isNull();
        assertThat(s.totalsEstimated()).as("no total, nothing to call estimated").isNull();
        assertThat(s.bytesPerSecond()).as("no rate before a tenth of a second has passed").isNull();
        assertThat(s.describe()).isEqualTo("writing the index and manifest: gitserver 0 B");
    }

    @Test
    void aBackupThatOutgrowsTheLastOneIsNeverShownAsDone() {
        meter.phase("backing up", 1000, 1, true);
        meter.addBytes(1500);
        meter.addFiles(2);
        nanos.addAndGet(1_000_000_000L);
        ProgressMeter.Snapshot s = meter.snapshot();
        assertThat(s.percent()).isEqualTo(99.9);
        assertThat(s.secondsLeft()).isNull();
        assertThat(s.totalsEstimated()).isTrue();
        assertThat(s.describe()).isEqualTo("backing up: 1.5 KiB of about 1000 B (99.9%), 2 files of 1, 1.5 KiB/s");
    }

    @Test
    void countsFromManyThreadsAddUp() throws Exception {
        meter.phase("backing up", -1, -1, true);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    meter.addBytes(3);
                    meter.addFiles(1);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(meter.snapshot().bytesDone()).isEqualTo(120_000);
        assertThat(meter.snapshot().filesDone()).isEqualTo(40_000);
    }

    @Test
    void sizesCountsAndDurationsReadAsAPersonWritesThem() {
        assertThat(Sizes.bytes(0)).isEqualTo("0 B");
        assertThat(Sizes.bytes(1023)).isEqualTo("1023 B");
        assertThat(Sizes.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Sizes.bytes(1_395_864_371L)).isEqualTo("1.3 GiB");
        assertThat(Sizes.bytes(1024L * 1024 - 1)).as("rounds up into the next unit, not to 1024.0 KiB").isEqualTo("1.0 MiB");
        assertThat(Sizes.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
        assertThat(Sizes.count(1, "file")).isEqualTo("1 file");
        assertThat(Sizes.count(12_345, "table")).isEqualTo("12,345 tables");
        assertThat(Sizes.count(0, "file")).isEqualTo("0 files");
        assertThat(Sizes.duration(1300)).isEqualTo("1.3 s");
        assertThat(Sizes.duration(42_000)).isEqualTo("42 s");
        assertThat(Sizes.duration(125_000)).isEqualTo("2 min 5 s");
        assertThat(Sizes.duration(3_720_000)).isEqualTo("1 h 02 min");
    }
}
