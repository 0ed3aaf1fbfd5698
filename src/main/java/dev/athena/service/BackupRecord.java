package dev.athena.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.repository.Manifest;
import dev.athena.storage.CountingStore;

/**
 * What the API tells about one backup: the seed's four fields first, then what helps an operator
 * (among it {@code windows}, when each component was captured, {@code damaged} when its record
 * or manifest cannot be read, and {@code requests}, what the job asked of the store: the cost of
 * the run on a store that bills per request and per byte, and {@code progress} while it runs).
 * Stored beside the backup ({@code <ns>/<timestamp>/status.json}) so a restarted Athena, or
 * another cluster reading the same location, sees it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupRecord(String backupurl, String namespace, JobStatus status, String timestamp,
                           Boolean onlyConfig, String startedAt, String finishedAt, Long durationMs,
                           List<String> components, Long bytes, Long newBytes, List<String> warnings, String error,
                           String platformVersion, Map<String, Manifest.Window> windows, Boolean damaged,
                           CountingStore.Requests requests, ProgressMeter.Snapshot progress) {

    /** A record without progress: every record but the answer about a job this process is running. */
    public BackupRecord(String backupurl, String namespace, JobStatus status, String timestamp, Boolean onlyConfig, String startedAt,
                        String finishedAt, Long durationMs, List<String> components, Long bytes, Long newBytes, List<String> warnings,
                        String error, String platformVersion, Map<String, Manifest.Window> windows, Boolean damaged,
                        CountingStore.Requests requests) {
        this(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs, components, bytes, newBytes, warnings,
                error, platformVersion, windows, damaged, requests, null);
    }

    /** The same record with how far its job has got (never stored: it changes every moment). */
    BackupRecord withProgress(ProgressMeter.Snapshot now) {
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, error, platformVersion, windows, damaged, requests, now);
    }

    BackupRecord finish(JobStatus status, String finishedAt, long durationMs, List<String> components, Long bytes, Long newBytes,
                        List<String> warnings, String error) {
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, error, platformVersion, windows, damaged, requests);
    }

    /** The same record with when each component was captured. */
    BackupRecord captured(Map<String, Manifest.Window> windows) {
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, error, platformVersion, windows, damaged, requests);
    }

    /** The same record with the requests its job made of the store and the bytes that crossed to it and from it. */
    BackupRecord withRequests(CountingStore.Requests requests) {
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, error, platformVersion, windows, damaged, requests);
    }

    /** A backup whose record or manifest cannot be read: listed, so an operator sees it, but never restorable. */
    static BackupRecord damaged(String backupurl, String namespace, String timestamp, String problem) {
        return new BackupRecord(backupurl, namespace, JobStatus.Failed, timestamp, null, null, null, null, null, null, null, null,
                "damaged: " + problem, null, null, true, null);
    }

    /**
     * The record of a backup that verification found damaged: Failed and {@code damaged}, with what
     * is damaged, so it is never restored, nor counted as the newest good backup, in silence.
     */
    BackupRecord damagedBy(String problem) {
        return new BackupRecord(backupurl, namespace, JobStatus.Failed, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, "damaged: " + problem, platformVersion, windows, true, requests);
    }

    /** The same record with one more warning. */
    BackupRecord warn(String warning) {
        List<String> all = new java.util.ArrayList<>(warnings == null ? List.of() : warnings);
        all.add(warning);
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, all, error, platformVersion, windows, damaged, requests);
    }
}
