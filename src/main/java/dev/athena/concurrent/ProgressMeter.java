package dev.athena.concurrent;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * How far a running job has got: its phase, the components it is working on, and the bytes and
 * files done in that phase against a total when one is known. The job's threads add to it; the
 * API, the log and the metrics read {@link #snapshot()} from other threads at any moment.
 * Totals are exact for a restore (the backup says how much it holds) and an estimate for a
 * backup (what the previous backup of the same components held), which the snapshot says.
 */
public final class ProgressMeter {
    private final LongSupplier nanoClock;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder files = new LongAdder();
    private final Set<String> working = new LinkedHashSet<>();
    private volatile String phase = "starting";
    private volatile long phaseStartNanos;
    private volatile long bytesTotal = -1;
    private volatile long filesTotal = -1;
    private volatile boolean estimated;

    public ProgressMeter() {
        this(System::nanoTime);
    }

    /** A meter reading time from {@code nanoClock} (tests give a clock they move). */
    public ProgressMeter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.phaseStartNanos = nanoClock.getAsLong();
    }

    /** Enters {@code name} with nothing done yet and no total known. */
    public void phase(String name) {
        phase(name, -1, -1, false);
    }

    /**
     * Enters {@code name} with nothing done yet; {@code bytesTotal} and {@code filesTotal} are what
     * the phase will do ({@code -1}: unknown), an {@code estimate} when they come from the past.
     */
    public synchronized void phase(String name, long bytesTotal, long filesTotal, boolean estimate) {
        bytes.reset();
        files.reset();
        this.bytesTotal = bytesTotal;
        this.filesTotal = filesTotal;
        this.estimated = estimate;
        this.phaseStartNanos = nanoClock.getAsLong();
        this.phase = name;
    }

    public synchronized void componentStarted(String name) {
        working.add(name);
    }

    public synchronized void componentEnded(String name) {
        working.remove(name);
    }

    public void addBytes(long n) {
        bytes.add(n);
    }

    public void addFiles(long n) {
        files.add(n);
    }

    /**
     * The meter as it reads now. The rate is the phase's average (steadier than the last seconds'
     * on a job whose files vary in size); the time left is what remains of the total at that rate,
     * absent when no total is known or when an estimated total has been passed already.
     */
    public synchronized Snapshot snapshot() {
        long done = bytes.sum();
        long doneFiles = files.sum();
        long elapsedNanos = Math.max(0, nanoClock.getAsLong() - phaseStartNanos);
        Long rate = elapsedNanos >= 1_000_000_000L / 10 ? Math.round(done * 1e9 / elapsedNanos) : null;
        Long total = bytesTotal >= 0 ? bytesTotal : null;
        Double percent = null;
        Long secondsLeft = null;
        if (total != null) {
            double p = total == 0 ? 100.0 : Math.min(100.0, 100.0 * done / total);
            // A backup that outgrew the last one's size is not done; it shows 99.9 until its phase ends.
            percent = done > total && estimated ? 99.9 : Math.round(p * 10) / 10.0;
            if (done <= total && rate != null && rate > 0) {
                secondsLeft = (long) Math.ceil((total - done) / (double) rate);
            }
        }
        return new Snapshot(phase, List.copyOf(working), done, total, doneFiles, filesTotal >= 0 ? filesTotal : null,
                total == null && filesTotal < 0 ? null : estimated, elapsedNanos / 1_000_000, rate, percent, secondsLeft);
    }

    /**
     * One job's progress as the API returns it. {@code totalsEstimated} says the totals come from
     * the previous backup (a backup), not from what is being restored (exact).
     */
    public record Snapshot(String phase, List<String> components, long bytesDone, Long bytesTotal, long filesDone, Long filesTotal,
                           Boolean totalsEstimated, long phaseElapsedMs, Long bytesPerSecond, Double percent, Long secondsLeft) {

        /** One line for the log and a terminal: "restore: metagraph 1.2 GiB of 3.0 GiB (40.0%), 1,204 files, 120 MiB/s, about 15 s left". */
        public String describe() {
            StringBuilder s = new StringBuilder(phase);
            if (!components.isEmpty()) {
                s.append(": ").append(String.join(", ", components));
            }
            s.append(components.isEmpty() ? ": " : " ").append(Sizes.bytes(bytesDone));
            if (bytesTotal != null) {
                s.append(" of ").append(Boolean.TRUE.equals(totalsEstimated) ? "about " : "").append(Sizes.bytes(bytesTotal));
            }
            if (percent != null) {
                s.append(String.format(Locale.ROOT, " (%.1f%%)", percent));
            }
            if (filesDone > 0 || filesTotal != null) {
                s.append(", ").append(Sizes.count(filesDone, "file"));
                if (filesTotal != null) {
                    s.append(" of ").append(String.format(Locale.ROOT, "%,d", filesTotal));
                }
            }
            if (bytesPerSecond != null) {
                s.append(", ").append(Sizes.bytes(bytesPerSecond)).append("/s");
            }
            if (secondsLeft != null && secondsLeft > 0) {
                s.append(", about ").append(Sizes.duration(secondsLeft * 1000)).append(" left");
            }
            return s.toString();
        }
    }
}
