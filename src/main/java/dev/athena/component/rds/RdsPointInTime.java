package dev.athena.component.rds;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.component.CheckResult;
import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/**
 * An RDS platform's database recovered to a moment: RDS replays its own log onto a new instance
 * (RestoreDBInstanceToPointInTime). The moment must lie within what RDS can still restore: after
 * the earliest automated backup and before the instance's LatestRestorableTime, which the
 * pre-restore check asks RDS for.
 */
final class RdsPointInTime implements Component {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final RdsComponent platform;
    private final RdsClient rds;
    private final String instanceId;
    private final String restoreInstanceId;
    private final Instant target;

    RdsPointInTime(RdsComponent platform, RdsClient rds, String instanceId, String restoreInstanceId, Instant target) {
        this.platform = platform;
        this.rds = rds;
        this.instanceId = instanceId;
        this.restoreInstanceId = restoreInstanceId;
        this.target = target;
    }

    private String newInstance() {
        return restoreInstanceId != null ? restoreInstanceId : instanceId + "-at-" + (latest() ? "latest" : NAME_TIME.format(target));
    }

    /** targetTime "latest": as late as RDS can restore. */
    private boolean latest() {
        return target.equals(LATEST);
    }

    @Override
    public String name() {
        return platform.name();
    }

    @Override
    public String destination() {
        return "new RDS instance " + newInstance() + ", " + instanceId + " as it was at " + target;
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) {
        throw new UnsupportedOperationException("a point-in-time restore backs nothing up");
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        DBInstance source;
        try {
            source = rds.describeDBInstances(r -> r.dbInstanceIdentifier(instanceId)).dbInstances().get(0);
        } catch (DbInstanceNotFoundException e) {
            throw new IOException("RDS instance " + instanceId + " no longer exists, so RDS cannot restore it to a moment: restore the backup's"
                    + " snapshot instead (leave out targetTime)", e);
        }
        Instant latest = source.latestRestorableTime();
        if (latest == null || (!latest() && target.isAfter(latest))) {
            throw new IOException("RDS can restore " + instanceId + " up to " + latest + " only, not to " + target
                    + " (its automated backups are off, or the moment is too recent): choose an earlier moment");
        }
        try {
            rds.describeDBInstances(r -> r.dbInstanceIdentifier(newInstance()));
            throw new IOException("RDS instance " + newInstance() + " already exists: set AWS_RDS_RESTORE_IDENTIFIER to a new name");
        } catch (DbInstanceNotFoundException expected) {
            // the name is free
        }
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        long t0 = System.nanoTime();
        rds.restoreDBInstanceToPointInTime(r -> {
            r.sourceDBInstanceIdentifier(instanceId).targetDBInstanceIdentifier(newInstance());
            if (latest()) {
                r.useLatestRestorableTime(true);
            } else {
                r.restoreTime(target);
            }
        });
        DBInstance instance = platform.awaitInstance(newInstance());
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        String endpoint = instance.endpoint() == null ? "(no endpoint reported)" : instance.endpoint().address() + ":" + instance.endpoint().port();
        return new RestoreOutcome(stats, List.of("restored RDS instance " + newInstance() + " as " + instanceId + " was at " + target + ", at "
                + endpoint + ": point the platform's database host (POSTGRES_HOST and its connection settings) at it"));
    }

    @Override
    public List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) {
        String status = rds.describeDBInstances(r -> r.dbInstanceIdentifier(newInstance())).dbInstances().get(0).dbInstanceStatus();
        return List.of(new CheckResult(name() + ": RDS instance " + newInstance() + " (at " + target + ") is available", "available".equals(status), status));
    }
}
