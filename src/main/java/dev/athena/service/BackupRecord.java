package dev.athena.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.athena.repository.Manifest;

/**
 * What the API tells about one backup: the seed's four fields first, then what helps an operator
 * (among it {@code windows}, when each component was captured).
 * Stored beside the backup ({@code <ns>/<timestamp>/status.json}) so a restarted Athena, or
 * another cluster reading the same location, sees it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupRecord(String backupurl, String namespace, Status status, String timestamp,
                           Boolean onlyConfig, String startedAt, String finishedAt, Long durationMs,
                           List<String> components, Long bytes, Long newBytes, List<String> warnings, String error,
                           String platformVersion, Map<String, Manifest.Window> windows) {

    BackupRecord finish(Status status, String finishedAt, long durationMs, List<String> components, Long bytes, Long newBytes,
                        List<String> warnings, String error) {
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, error, platformVersion, windows);
    }

    /** The same record with when each component was captured. */
    BackupRecord captured(Map<String, Manifest.Window> windows) {
        return new BackupRecord(backupurl, namespace, status, timestamp, onlyConfig, startedAt, finishedAt, durationMs,
                components, bytes, newBytes, warnings, error, platformVersion, windows);
    }
}
