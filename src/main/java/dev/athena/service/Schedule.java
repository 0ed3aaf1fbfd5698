package dev.athena.service;

import java.util.List;

/**
 * What the service does on its own, as GET /schedule answers it: whether periodic backups run, on
 * which cron expression and when next, how long backups are kept, and where they go. No secret is
 * in it (the location is the bucket or folder, never a key). {@code copy}, with COPY_TO only: the
 * second location and how its last copy went. {@code retentionKeep}: the RETENTION_KEEP_* calendars.
 */
public record Schedule(String namespace, boolean regularBackups, String frequency, String nextBackup, int retentionDays,
                       dev.athena.schedule.RetentionPolicy.Keep retentionKeep,
                       String location, List<String> components, String platformVersion, boolean leader,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) CopyStatus copy) {
}
