package dev.athena.service;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the API tells about one restore: the seed's four fields (about the backup restored from),
 * then the restore's own progress: its phases, each component's outcome, and the report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreRecord(String backupurl, String namespace, Status status, String timestamp,
                            String destinationNamespace, String restoreId, String startedAt, String finishedAt, Long durationMs,
                            RestoreRequest request, List<Phase> phases, Map<String, ComponentOutcome> components,
                            List<String> warnings, String error, String report) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Phase(String name, Status status, String startedAt, String finishedAt, Long durationMs, String detail) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ComponentOutcome(Status status, Map<String, Long> stats, String error) {
    }
}
