package dev.athena.service;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.athena.restore.DisasterRecovery;

/**
 * The seed's restore request, validated; {@code dryRun}, {@code allowDowngrade} and {@code items}
 * (from {@code svcs.<name>.include}: what an item-level restore takes of each component) and
 * {@code location} (primary, or secondary: the copy COPY_TO keeps) and {@code targetTime} (a
 * point-in-time restore: PostgreSQL recovered to that moment from the backup's base backup and the
 * archived WAL) are Athena's additions.
 */
public record RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration,
                             boolean enableJenkinsTestRun, boolean disableUpgrade, boolean disablePreRestoreChecks,
                             boolean disablePostRestoreChecks, Set<String> disabledServices, boolean dryRun, boolean allowDowngrade,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> items,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String location,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String requestedBy,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String targetTime) {
    /** Where a restore may read its backup: the backup location, or the second one that COPY_TO keeps. */
    public static final List<String> LOCATIONS = List.of("primary", "secondary");
    /** The targetTime that recovers as far as the archived WAL reaches. */
    public static final String LATEST = "latest";

    public RestoreRequest {
        items = items == null ? Map.of() : Map.copyOf(items);
        if (location != null && !LOCATIONS.contains(location)) {
            throw new IllegalArgumentException("location must be primary or secondary, got '" + location + "'");
        }
        // The usual case is left out of the record, as before there was a second location.
        location = "primary".equals(location) ? null : location;
    }

    /** An item-level (or whole) restore from the backup location. */
    public RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration, boolean enableJenkinsTestRun,
                          boolean disableUpgrade, boolean disablePreRestoreChecks, boolean disablePostRestoreChecks, Set<String> disabledServices,
                          boolean dryRun, boolean allowDowngrade, Map<String, List<String>> items) {
        this(timestamp, sourceNamespace, enableReportGeneration, enableJenkinsTestRun, disableUpgrade, disablePreRestoreChecks,
                disablePostRestoreChecks, disabledServices, dryRun, allowDowngrade, items, null, null, null);
    }

    /** From the backup location or the second one. */
    public RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration, boolean enableJenkinsTestRun,
                          boolean disableUpgrade, boolean disablePreRestoreChecks, boolean disablePostRestoreChecks, Set<String> disabledServices,
                          boolean dryRun, boolean allowDowngrade, Map<String, List<String>> items, String location) {
        this(timestamp, sourceNamespace, enableReportGeneration, enableJenkinsTestRun, disableUpgrade, disablePreRestoreChecks,
                disablePostRestoreChecks, disabledServices, dryRun, allowDowngrade, items, location, null, null);
    }

    /**
     * The same request, saying who made it: the name the client gave, which API key (by its place
     * in ATHENA_API_KEYS, never the key) and from where. The report shows it.
     */
    public RestoreRequest requestedBy(String who) {
        return new RestoreRequest(timestamp, sourceNamespace, enableReportGeneration, enableJenkinsTestRun, disableUpgrade,
                disablePreRestoreChecks, disablePostRestoreChecks, disabledServices, dryRun, allowDowngrade, items, location, who, targetTime);
    }

    /** The same request for a point-in-time restore to {@code moment} (RFC 3339), of backup {@code backup} (the newest at or before it). */
    public RestoreRequest atMoment(String backup, String moment) {
        return new RestoreRequest(backup, sourceNamespace, enableReportGeneration, enableJenkinsTestRun, disableUpgrade,
                disablePreRestoreChecks, disablePostRestoreChecks, disabledServices, dryRun, allowDowngrade, items, location, requestedBy, moment);
    }

    /** True when the backup is read from the second location (COPY_TO). */
    public boolean fromSecondary() {
        return "secondary".equals(location);
    }

    /** A request for whole components. */
    public RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration, boolean enableJenkinsTestRun,
                          boolean disableUpgrade, boolean disablePreRestoreChecks, boolean disablePostRestoreChecks, Set<String> disabledServices,
                          boolean dryRun, boolean allowDowngrade) {
        this(timestamp, sourceNamespace, enableReportGeneration, enableJenkinsTestRun, disableUpgrade, disablePreRestoreChecks,
                disablePostRestoreChecks, disabledServices, dryRun, allowDowngrade, Map.of());
    }

    public boolean restores(String component) {
        return !disabledServices.contains(component);
    }

    /** What the restore does besides the data, as the restore workflow takes it. */
    public DisasterRecovery.Options recoveryOptions() {
        return new DisasterRecovery.Options(dryRun, !disableUpgrade, allowDowngrade, !disablePreRestoreChecks, !disablePostRestoreChecks,
                enableJenkinsTestRun, Set.copyOf(disabledServices), false, items, targetInstant());
    }

    /** {@code targetTime} as a moment; "latest" is {@link dev.athena.component.Component#LATEST}: every archived transaction. */
    public java.time.Instant targetInstant() {
        return targetTime == null ? null : targetTime.equals(LATEST) ? dev.athena.component.Component.LATEST : java.time.Instant.parse(targetTime);
    }
}
