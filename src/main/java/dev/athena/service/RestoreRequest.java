package dev.athena.service;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.athena.restore.DisasterRecovery;

/**
 * The seed's restore request, validated; {@code dryRun}, {@code allowDowngrade} and {@code items}
 * (from {@code svcs.<name>.include}: what an item-level restore takes of each component) are
 * Athena's additions.
 */
public record RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration,
                             boolean enableJenkinsTestRun, boolean disableUpgrade, boolean disablePreRestoreChecks,
                             boolean disablePostRestoreChecks, Set<String> disabledServices, boolean dryRun, boolean allowDowngrade,
                             @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> items) {

    public RestoreRequest {
        items = items == null ? Map.of() : Map.copyOf(items);
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
                enableJenkinsTestRun, Set.copyOf(disabledServices), false, items);
    }
}
