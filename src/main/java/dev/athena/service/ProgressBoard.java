package dev.athena.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.athena.concurrent.ProgressMeter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of the jobs this process is running, by job: the API adds it to a Running record,
 * the log says it every {@link #LOG_EVERY}, the metrics show the current job's. A job's meter may
 * appear only after the job has begun (a restore's, once its backup is opened).
 */
final class ProgressBoard {
    private static final Logger log = LoggerFactory.getLogger(ProgressBoard.class);
    /** Often enough that a silent log means a stuck job, rarely enough that a long backup's log stays readable. */
    static final Duration LOG_EVERY = Duration.ofSeconds(10);

    /** What kind of job a meter belongs to: its record's kind and its name in that kind. */
    enum Kind {
        backup, restore, copy, verification, drill
    }

    private record Live(Kind kind, String id, Supplier<ProgressMeter> meter, long since) {
    }

    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    void track(Kind kind, String id, Supplier<ProgressMeter> meter) {
        live.put(kind + " " + id, new Live(kind, id, meter, System.nanoTime()));
    }

    void untrack(Kind kind, String id) {
        live.remove(kind + " " + id);
        lastLogged.remove(kind + " " + id);
    }

    Optional<ProgressMeter.Snapshot> of(Kind kind, String id) {
        Live l = live.get(kind + " " + id);
        return l == null ? Optional.empty() : read(l);
    }

    /** The running jobs' progress as metrics see it: each job's kind with its snapshot. */
    Map<Kind, ProgressMeter.Snapshot> current() {
        Map<Kind, ProgressMeter.Snapshot> out = new java.util.EnumMap<>(Kind.class);
        live.values().forEach(l -> read(l).ifPresent(s -> out.put(l.kind(), s)));
        return out;
    }

    /** How long each kind of job running here has run, in whole seconds. */
    Map<Kind, Long> elapsedSeconds(long nowNanos) {
        Map<Kind, Long> out = new java.util.EnumMap<>(Kind.class);
        live.values().forEach(l -> out.merge(l.kind(), (nowNanos - l.since()) / 1_000_000_000L, Math::max));
        return out;
    }

    /** Logs each running job's progress once {@link #LOG_EVERY} has passed since its start or its last line; called every second. */
    void logDue(long nowNanos) {
        for (Map.Entry<String, Live> e : live.entrySet()) {
            long last = lastLogged.getOrDefault(e.getKey(), e.getValue().since());
            if (nowNanos - last >= LOG_EVERY.toNanos()) {
                lastLogged.put(e.getKey(), nowNanos);
                read(e.getValue()).ifPresent(s -> log.info("{} {}: {}", e.getValue().kind(), e.getValue().id(), s.describe()));
            }
        }
    }

    private static Optional<ProgressMeter.Snapshot> read(Live l) {
        ProgressMeter m = l.meter().get();
        return m == null ? Optional.empty() : Optional.of(m.snapshot());
    }
}
