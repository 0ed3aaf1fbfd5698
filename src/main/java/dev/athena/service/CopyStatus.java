package dev.athena.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The second location as GET /schedule shows it: where it is, when copies run, and how the last
 * run ended. {@code lastResult} is Success, Failed (with {@code lastError}), or Paused (it let a
 * backup or restore go first; the next run carries on). The run fields are null until the first
 * run since the service started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CopyStatus(String location, String when, int retentionDays, String lastStartedAt, String lastFinishedAt, String lastResult,
                         String lastError, Integer backupsCopied, Long bytesSent, Integer backupsFailed, Integer backupsThere,
                         Integer backupsForgotten, String lastSuccessAt) {

    static CopyStatus idle(String location, String when, int retentionDays) {
        return new CopyStatus(location, when, retentionDays, null, null, null, null, null, null, null, null, null, null);
    }

    CopyStatus started(String at) {
        return new CopyStatus(location, when, retentionDays, at, null, "Running", null, null, null, null, backupsThere, null, lastSuccessAt);
    }

    CopyStatus ended(String at, String result, String error, int copied, long bytes, int failed, Integer there, Integer forgotten) {
        return new CopyStatus(location, when, retentionDays, lastStartedAt, at, result, error, copied, bytes, failed, there, forgotten,
                "Success".equals(result) ? at : lastSuccessAt);
    }
}
