package dev.athena.component.rds;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.rds.model.Tag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore drill of an RDS platform (DRILL_RDS=true): a new instance made from the backup's
 * snapshot under a name of the drill's own, never the platform's instance. Its checks are that RDS
 * reports it available with the snapshot's engine and that it accepts connections; the time it took
 * is the RTO of the database. The service deletes it afterwards through
 * {@link RdsComponent#removeDrillLeftovers}, also after a kill.
 */
final class RdsDrill implements Component {
    private static final Logger log = LoggerFactory.getLogger(RdsDrill.class);
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final RdsComponent platform;
    private final RdsClient rds;
    private final String instanceId;
    private final String namespace;
    private final RdsDrillSettings settings;

    RdsDrill(RdsComponent platform, RdsClient rds, String instanceId, String namespace, RdsDrillSettings settings) {
        this.platform = platform;
        this.rds = rds;
        this.instanceId = instanceId;
        this.namespace = namespace;
        this.settings = settings;
    }

    /** RDS names allow letters, digits and single hyphens: a drill's database prefix athena_drill_NS_ID_ becomes athena-drill-NS-ID. */
    static String instanceId(String databasePrefix) {
        String p = instancePrefix(databasePrefix);
        return p.substring(0, p.length() - 1);
    }

    /** The start every drill instance of {@code databasePrefix} has, ending in a hyphen. */
    static String instancePrefix(String databasePrefix) {
        if (!databasePrefix.startsWith("athena_drill_") || !databasePrefix.endsWith("_")) {
            throw new IllegalArgumentException("only a drill's instances are named from " + databasePrefix);
        }
        return databasePrefix.replace('_', '-');
    }

    @Override
    public String name() {
        return platform.name();
    }

    @Override
    public String destination() {
        return "new RDS instance " + instanceId + ", deleted after the drill";
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) {
        throw new UnsupportedOperationException("a drill's instance is never backed up");
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        platform.precheck(repository, backup, snapshot, instanceId, "a drill's instance of that name is still being deleted; start the drill again later");
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        RdsComponent.SnapshotInfo info = RdsComponent.info(snapshot);
        long t0 = System.nanoTime();
        rds.restoreDBInstanceFromDBSnapshot(r -> {
            r.dbInstanceIdentifier(instanceId).dbSnapshotIdentifier(info.snapshotId())
                    // Nothing outside the VPC reaches it, one zone, and nothing keeps it from being deleted.
                    .publiclyAccessible(false).multiAZ(false).deletionProtection(false)
                    .tags(Tag.builder().key("athena-namespace").value(namespace).build(), Tag.builder().key("athena-backup").value(backup).build(),
                            Tag.builder().key("athena-drill").value("true").build());
            settings.instanceClass().ifPresent(r::dbInstanceClass);
            settings.subnetGroup().ifPresent(r::dbSubnetGroupName);
            if (!settings.securityGroups().isEmpty()) {
                r.vpcSecurityGroupIds(settings.securityGroups());
            }
        });
        log.info("drill: creating RDS instance {} from snapshot {}", instanceId, info.snapshotId());
        DBInstance instance = platform.awaitInstance(instanceId);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        return new RestoreOutcome(stats, List.of("drill instance " + instanceId + " made from snapshot " + info.snapshotId() + " at " + address(instance)));
    }

    private static String address(DBInstance instance) {
        return instance.endpoint() == null ? "(no endpoint reported)" : instance.endpoint().address() + ":" + instance.endpoint().port();
    }

    @Override
    public List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) {
        RdsComponent.SnapshotInfo info = RdsComponent.info(snapshot);
        DBInstance instance = rds.describeDBInstances(r -> r.dbInstanceIdentifier(instanceId)).dbInstances().get(0);
        List<CheckResult> checks = new ArrayList<>();
        checks.add(new CheckResult(name() + ": drill instance " + instanceId + " is available", "available".equals(instance.dbInstanceStatus()),
                instance.dbInstanceStatus() + (instance.dbInstanceClass() == null ? "" : ", " + instance.dbInstanceClass())));
        boolean sameEngine = info.engine() == null || info.engine().equals(instance.engine());
        checks.add(new CheckResult(name() + ": drill instance runs the snapshot's engine " + info.engine() + " " + info.engineVersion(), sameEngine,
                "the instance reports " + instance.engine() + " " + instance.engineVersion()));
        checks.add(accepts(instance));
        return checks;
    }

    /** A database nobody can connect to restores nothing: the endpoint must accept a connection from where Athena runs. */
    private CheckResult accepts(DBInstance instance) {
        String what = name() + ": drill instance accepts connections";
        if (instance.endpoint() == null) {
            return new CheckResult(what, false, "RDS reports no endpoint for " + instanceId);
        }
        String address = address(instance);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(instance.endpoint().address(), instance.endpoint().port()), CONNECT_TIMEOUT_MS);
            return new CheckResult(what, true, address);
        } catch (IOException e) {
            return new CheckResult(what, false, "cannot connect to " + address + " (" + e.getMessage() + "): let Athena's network reach the"
                    + " drill instance with DRILL_RDS_SUBNET_GROUP and DRILL_RDS_SECURITY_GROUPS");
        }
    }
}
