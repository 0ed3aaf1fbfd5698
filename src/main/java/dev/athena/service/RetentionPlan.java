package dev.athena.service;

import java.util.List;
import java.util.Map;

/**
 * GET /retentionplan: the rules in force and, per backup (newest first), whether the next sweep
 * keeps it and every reason it is kept ("within 90 days", "daily 2026-12-06", "the newest
 * successful backup"); a backup with none goes at the next sweep.
 */
public record RetentionPlan(Map<String, Object> rules, List<Entry> backups) {
    public record Entry(String timestamp, JobStatus status, boolean keep, List<String> reasons) {
    }
}
