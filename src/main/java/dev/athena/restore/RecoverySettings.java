package dev.athena.restore;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a disaster-recovery restore runs around the data: the health checks before and after, the
 * upgrade to the backup's version, the post-restore test suite and the Jenkins test run; and the
 * recovery time and point objectives (RTO_TARGET, RPO_TARGET) its report holds it to.
 */
public record RecoverySettings(List<URI> healthCheckUrls, Duration healthTimeout, Optional<String> upgradeCommand,
                               Duration upgradeTimeout, Optional<String> postRestoreCommand, Duration postRestoreTimeout,
                               Optional<JenkinsSettings> jenkins, Optional<Duration> rtoTarget, Optional<Duration> rpoTarget) {
    /** Nothing around the data: no health checks, no upgrade, no test suite, no targets. */
    public static final RecoverySettings NONE = new RecoverySettings(List.of(), Duration.ofMinutes(5), Optional.empty(),
            Duration.ofMinutes(30), Optional.empty(), Duration.ofMinutes(30), Optional.empty(), Optional.empty(), Optional.empty());
}
