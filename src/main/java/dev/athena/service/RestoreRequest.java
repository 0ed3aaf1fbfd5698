package dev.athena.service;

import java.util.Set;

import dev.athena.restore.DisasterRecovery;

/** The seed's restore request, validated; {@code dryRun} and {@code allowDowngrade} are Athena's additions. */
public record RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration,
                             boolean enableJenkinsTestRun, boolean disableUpgrade, boolean disablePreRestoreChecks,
                             boolean disablePostRestoreChecks, Set<String> disabledServices, boolean dryRun, boolean allowDowngrade) {

    public boolean restores(String component) {
        return !disabledServices.contains(component);
    }

    /** What the restore does besides the data, as the restore workflow takes it. */
    public DisasterRecovery.Options recoveryOptions() {
        return new DisasterRecovery.Options(dryRun, !disableUpgrade, allowDowngrade, !disablePreRestoreChecks, !disablePostRestoreChecks,
                enableJenkinsTestRun, Set.copyOf(disabledServices), false);
    }
}
