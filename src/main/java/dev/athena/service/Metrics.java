package dev.athena.service;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** The service's Prometheus metrics, rendered in the text exposition format for GET /metrics. */
public final class Metrics {
    private final AtomicLong lastSuccessSeconds = new AtomicLong();
    private final AtomicLong backupFailures = new AtomicLong();
    private final AtomicLong backupSuccesses = new AtomicLong();
    private final AtomicLong restoreFailures = new AtomicLong();
    private final AtomicLong restoreSuccesses = new AtomicLong();
    private final AtomicLong skippedRuns = new AtomicLong();
    private final Map<String, double[]> components = new TreeMap<>();

    void backupSucceeded(long epochSeconds, Map<String, Map<String, Long>> componentStats) {
        lastSuccessSeconds.set(epochSeconds);
        backupSuccesses.incrementAndGet();
        synchronized (components) {
            componentStats.forEach((name, stats) -> components.put(name, new double[] {
                stats.getOrDefault("durationMs", 0L) / 1000.0, stats.getOrDefault("bytes", 0L)}));
        }
    }

    void backupFailed() {
        backupFailures.incrementAndGet();
    }

    void restoreFinished(boolean success) {
        (success ? restoreSuccesses : restoreFailures).incrementAndGet();
    }

    public void runSkipped() {
        skippedRuns.incrementAndGet();
    }

    public String render(boolean jobRunning, boolean leader) {
        StringBuilder b = new StringBuilder();
        gauge(b, "athena_backup_last_success_timestamp_seconds", "Unix time of the last successful backup", lastSuccessSeconds.get());
        counter(b, "athena_backups_total", "Backups finished, by status", Map.of("status=\"Success\"", backupSuccesses.get(), "status=\"Failed\"", backupFailures.get()));
        counter(b, "athena_restores_total", "Restores finished, by status", Map.of("status=\"Success\"", restoreSuccesses.get(), "status=\"Failed\"", restoreFailures.get()));
        counter(b, "athena_backup_failures_total", "Backups that failed", Map.of("", backupFailures.get()));
        counter(b, "athena_scheduled_backups_skipped_total", "Periodic backups skipped because a job was running", Map.of("", skippedRuns.get()));
        gauge(b, "athena_job_running", "1 while a backup, restore or sweep runs", jobRunning ? 1 : 0);
        gauge(b, "athena_leader", "1 while this replica leads (runs the schedule and jobs); always 1 without leader election", leader ? 1 : 0);
        synchronized (components) {
            b.append("# HELP athena_component_backup_duration_seconds Duration of the component's last successful backup\n")
                    .append("# TYPE athena_component_backup_duration_seconds gauge\n");
            components.forEach((n, v) -> b.append("athena_component_backup_duration_seconds{component=\"").append(n).append("\"} ").append(v[0]).append('\n'));
            b.append("# HELP athena_component_backup_bytes Bytes in the component's last successful backup\n")
                    .append("# TYPE athena_component_backup_bytes gauge\n");
            components.forEach((n, v) -> b.append("athena_component_backup_bytes{component=\"").append(n).append("\"} ").append((long) v[1]).append('\n'));
        }
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder b, String name, String help, Map<String, Long> values) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n').append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(values).forEach((labels, v) -> b.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ').append(v).append('\n'));
    }
}
