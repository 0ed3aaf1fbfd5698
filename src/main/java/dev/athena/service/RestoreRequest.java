package dev.athena.service;

import java.util.Set;

/** The seed's restore request, validated; {@code dryRun} and {@code allowDowngrade} are Athena's additions. */
public record RestoreRequest(String timestamp, String sourceNamespace, boolean enableReportGeneration,
                             boolean enableJenkinsTestRun, boolean disableUpgrade, boolean disablePreRestoreChecks,
                             boolean disablePostRestoreChecks, Set<String> disabledServices, boolean dryRun, boolean allowDowngrade) {

    public boolean restores(String component) {
        return !disabledServices.contains(component);
    }
}
