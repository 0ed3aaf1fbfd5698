package dev.athena.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.repository.Manifest;
import dev.athena.storage.CountingStore;

/**
 * What the API tells about one restore: the seed's four fields (about the backup restored from),
 * then the restore's own progress: its phases, its checks, each component's outcome, the
 * versions, the achieved RTO and RPO, when each component of the backup was captured, where its
 * disaster-recovery report is, the requests it made of the store so far (with the bytes read), and
 * while it runs, {@code progress}: bytes and files done in its phase, the rate and the time left.
 * A drill has no destination namespace; {@code targets} says where it put each component instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreRecord(String backupurl, String namespace, JobStatus status, String timestamp,
                            String destinationNamespace, String restoreId, String startedAt, String finishedAt, Long durationMs,
                            RestoreRequest request, List<Phase> phases, Map<String, ComponentOutcome> components,
                            List<String> warnings, String error, String report,
                            List<Check> checks, String backupVersion, String versionBefore, String versionAfter,
                            Long rtoSeconds, Long rpoSeconds, String upgradeOutput, String postRestoreOutput, String jenkinsBuild,
                            List<String> plan, Map<String, Manifest.Window> backupWindows, CountingStore.Requests requests,
                            Map<String, String> targets, ProgressMeter.Snapshot progress) {

    /** A record without progress: every record but the answer about a restore this process is running. */
    public RestoreRecord(String backupurl, String namespace, JobStatus status, String timestamp, String destinationNamespace, String restoreId,
                         String startedAt, String finishedAt, Long durationMs, RestoreRequest request, List<Phase> phases,
                         Map<String, ComponentOutcome> components, List<String> warnings, String error, String report, List<Check> checks,
                         String backupVersion, String versionBefore, String versionAfter, Long rtoSeconds, Long rpoSeconds,
                         String upgradeOutput, String postRestoreOutput, String jenkinsBuild, List<String> plan,
                         Map<String, Manifest.Window> backupWindows, CountingStore.Requests requests) {
        this(backupurl, namespace, status, timestamp, destinationNamespace, restoreId, startedAt, finishedAt, durationMs, request, phases,
                components, warnings, error, report, checks, backupVersion, versionBefore, versionAfter, rtoSeconds, rpoSeconds, upgradeOutput,
                postRestoreOutput, jenkinsBuild, plan, backupWindows, requests, null, null);
    }

    /** The same record with how far its job has got (never stored: it changes every moment). */
    RestoreRecord withProgress(ProgressMeter.Snapshot now) {
        return new RestoreRecord(backupurl, namespace, status, timestamp, destinationNamespace, restoreId, startedAt, finishedAt, durationMs,
                request, phases, components, warnings, error, report, checks, backupVersion, versionBefore, versionAfter, rtoSeconds,
                rpoSeconds, upgradeOutput, postRestoreOutput, jenkinsBuild, plan, backupWindows, requests, targets, now);
    }

    /** The same record with where a drill puts each component (its scratch folders, databases, instance). */
    RestoreRecord withTargets(Map<String, String> where) {
        return new RestoreRecord(backupurl, namespace, status, timestamp, destinationNamespace, restoreId, startedAt, finishedAt, durationMs,
                request, phases, components, warnings, error, report, checks, backupVersion, versionBefore, versionAfter, rtoSeconds,
                rpoSeconds, upgradeOutput, postRestoreOutput, jenkinsBuild, plan, backupWindows, requests, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(where)), progress);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Phase(String name, JobStatus status, String startedAt, String finishedAt, Long durationMs, String detail) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentOutcome(JobStatus status, Map<String, Long> stats, String error) {
    }

    /** One named check: which phase ran it, whether it passed, and what it found. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Check(String phase, String name, boolean passed, String detail) {
    }

    /** A record just accepted, before its job starts. */
    static RestoreRecord running(String backupurl, String sourceNamespace, String timestamp, String destination, String restoreId,
                                 String startedAt, RestoreRequest request, String backupVersion, String versionBefore) {
        return new RestoreRecord(backupurl, sourceNamespace, JobStatus.Running, timestamp, destination, restoreId, startedAt, null, null,
                request, List.of(), Map.of(), List.of(), null, null, List.of(), backupVersion, versionBefore, null, null, null, null, null,
                null, null, null, null);
    }

    RestoreRecord failedByInterruption(String finishedAt, String why) {
        return new RestoreRecord(backupurl, namespace, JobStatus.Failed, timestamp, destinationNamespace, restoreId, startedAt, finishedAt,
                null, request, phases, components, warnings, why, report, checks, backupVersion, versionBefore, versionAfter, rtoSeconds,
                rpoSeconds, upgradeOutput, postRestoreOutput, jenkinsBuild, plan, backupWindows, requests, targets, null);
    }
}
