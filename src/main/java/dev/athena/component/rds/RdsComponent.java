package dev.athena.component.rds;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.concurrent.Pacer;
import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.repository.BlobId;
import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.VirtualTree;
import dev.athena.volume.VolumeRestore;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL on AWS RDS: backed up as a manual DB snapshot named after the namespace and the
 * backup's timestamp, restored by creating a new instance from it (RDS cannot restore over an
 * existing one), and deleted with the backup by retention. The repository keeps the snapshot's
 * description, so verify and the restore checks treat it like any component.
 */
public final class RdsComponent implements Component {
    private static final Logger log = LoggerFactory.getLogger(RdsComponent.class);
    public static final String KIND = "rds-snapshot";
    static final String FILE = "rds-snapshot.json";

    /** What the manifest records of the snapshot. */
    public record SnapshotInfo(String snapshotId, String snapshotArn, String instanceId, String engine, String engineVersion,
                               Integer allocatedStorageGiB, String createdAt) {
    }

    private final RdsClient rds;
    private final String instanceId;
    private final String namespace;
    private final String restoreInstanceId;
    private final Duration poll;
    private final Duration timeout;
    private final Pacer pacer;
    /** DRILL_RDS: how a drill's instance is made; null: drills leave RDS out (an instance costs money). */
    private final RdsDrillSettings drills;

    public RdsComponent(RdsClient rds, String instanceId, String namespace, String restoreInstanceId, Duration poll, Duration timeout) {
        this(rds, instanceId, namespace, restoreInstanceId, poll, timeout, Pacer.system());
    }

    /** {@code pacer}: the clock and pause of the waits for a snapshot or an instance to become available. */
    public RdsComponent(RdsClient rds, String instanceId, String namespace, String restoreInstanceId, Duration poll, Duration timeout,
                        Pacer pacer) {
        this(rds, instanceId, namespace, restoreInstanceId, poll, timeout, pacer, null);
    }

    private RdsComponent(RdsClient rds, String instanceId, String namespace, String restoreInstanceId, Duration poll, Duration timeout,
                         Pacer pacer, RdsDrillSettings drills) {
        this.pacer = pacer;
        this.rds = rds;
        this.instanceId = instanceId;
        this.namespace = namespace;
        this.restoreInstanceId = restoreInstanceId;
        this.poll = poll;
        this.timeout = timeout;
        this.drills = drills;
    }

    /** The same component, whose drills make (and delete) an instance of their own from the backup's snapshot. */
    public RdsComponent drilledAs(RdsDrillSettings settings) {
        return new RdsComponent(rds, instanceId, namespace, restoreInstanceId, poll, timeout, pacer, settings);
    }

    @Override
    public String name() {
        return "postgres";
    }

    /** RDS snapshot names: letters, digits and single hyphens, starting with a letter. */
    static String snapshotId(String namespace, String timestamp) {
        return ("athena-" + namespace + "-" + timestamp).replaceAll("-{2,}", "-");
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        long t0 = System.nanoTime();
        String id = snapshotId(namespace, timestamp);
        rds.createDBSnapshot(r -> r.dbInstanceIdentifier(instanceId).dbSnapshotIdentifier(id)
                .tags(Tag.builder().key("athena-namespace").value(namespace).build(), Tag.builder().key("athena-backup").value(timestamp).build()));
        DBSnapshot snapshot;
        try {
            snapshot = awaitSnapshot(id);
        } catch (IOException | RuntimeException e) {
            try {
                rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(id));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        SnapshotInfo info = new SnapshotInfo(id, snapshot.dbSnapshotArn(), instanceId, snapshot.engine(), snapshot.engineVersion(),
                snapshot.allocatedStorage(), snapshot.snapshotCreateTime() == null ? null : snapshot.snapshotCreateTime().toString());
        List<BlobId> tree = VirtualTree.write(repository, Map.of(FILE, Json.write(info)), 0);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("allocatedStorageGiB", info.allocatedStorageGiB() == null ? 0L : info.allocatedStorageGiB());
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("snapshot", info);
        log.info("RDS snapshot {} of {} is available", id, instanceId);
        return new Manifest.ComponentSnapshot(KIND, tree.stream().map(BlobId::hex).toList(), stats, List.of(), details);
    }

    private DBSnapshot awaitSnapshot(String id) throws IOException, InterruptedException {
        return await("RDS snapshot " + id + " of " + instanceId, List.of("failed", "error"),
                () -> rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id)).dbSnapshots().get(0), DBSnapshot::status);
    }

    /** Polls until {@code status} says available; a failure status or the timeout ends it with a clear error. */
    private <T> T await(String what, List<String> failures, java.util.function.Supplier<T> describe,
                        java.util.function.Function<T, String> status) throws IOException, InterruptedException {
        java.time.Instant deadline = pacer.now().plus(timeout);
        while (true) {
            T current = describe.get();
            String s = status.apply(current);
            if ("available".equals(s)) {
                return current;
            }
            if (failures.contains(s)) {
                throw new IOException(what + " ended in status " + s);
            }
            if (pacer.now().isAfter(deadline)) {
                throw new IOException(what + " still " + s + " after " + timeout.toMinutes() + " minutes");
            }
            pacer.sleep(poll);
        }
    }

    static SnapshotInfo info(Manifest.ComponentSnapshot snapshot) {
        return Json.MAPPER.convertValue(snapshot.details().get("snapshot"), SnapshotInfo.class);
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        precheck(repository, backup, snapshot, targetInstance(backup), "set AWS_RDS_RESTORE_IDENTIFIER to a new name");
    }

    /** The snapshot's record is intact, the snapshot is still available in AWS, and no instance is named {@code target} yet. */
    SnapshotInfo precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot, String target, String whenTaken) throws Exception {
        new VolumeRestore(repository).precheck(backup, name(), snapshot.treeIds());
        SnapshotInfo info = Json.read(VirtualTree.read(repository, snapshot.treeIds()).get(FILE), SnapshotInfo.class, "RDS snapshot record");
        try {
            String status = rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(info.snapshotId())).dbSnapshots().get(0).status();
            if (!"available".equals(status)) {
                throw new IOException("RDS snapshot " + info.snapshotId() + " is " + status + ", not available");
            }
        } catch (DbSnapshotNotFoundException e) {
            throw new IOException("RDS snapshot " + info.snapshotId() + " of backup " + backup + " no longer exists in AWS", e);
        }
        try {
            rds.describeDBInstances(r -> r.dbInstanceIdentifier(target));
            throw new IOException("RDS instance " + target + " already exists: " + whenTaken);
        } catch (DbInstanceNotFoundException expected) {
            // the name is free
        }
        return info;
    }

    private String targetInstance(String backup) {
        return restoreInstanceId != null ? restoreInstanceId : (instanceId + "-" + backup).replaceAll("-{2,}", "-");
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        SnapshotInfo info = info(snapshot);
        String target = targetInstance(backup);
        long t0 = System.nanoTime();
        rds.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier(target).dbSnapshotIdentifier(info.snapshotId()));
        DBInstance instance = awaitInstance(target);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        String endpoint = instance.endpoint() == null ? "(no endpoint reported)" : instance.endpoint().address() + ":" + instance.endpoint().port();
        String note = "restored RDS instance " + target + " from snapshot " + info.snapshotId() + " at " + endpoint
                + ": point the platform's database host (POSTGRES_HOST and its connection settings) at it";
        log.info(note);
        return new RestoreOutcome(stats, List.of(note));
    }

    DBInstance awaitInstance(String id) throws IOException, InterruptedException {
        return await("RDS instance " + id, List.of("failed", "incompatible-restore"),
                () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0), DBInstance::dbInstanceStatus);
    }

    @Override
    public List<dev.athena.component.CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) {
        String target = targetInstance(backup);
        String status = rds.describeDBInstances(r -> r.dbInstanceIdentifier(target)).dbInstances().get(0).dbInstanceStatus();
        return List.of(new dev.athena.component.CheckResult(name() + ": RDS instance " + target + " is available", "available".equals(status), status));
    }

    /**
     * A point-in-time restore of RDS: a new instance made by RestoreDBInstanceToPointInTime from the
     * platform's instance at {@code target} (RDS keeps its own transaction log for the automated
     * backups' retention period), named AWS_RDS_RESTORE_IDENTIFIER or {@code <instance>-at-<moment>}.
     * Without a target, the backup's snapshot as usual.
     */
    @Override
    public Component atMoment(java.time.Instant target) {
        return target == null ? this : new RdsPointInTime(this, rds, instanceId, restoreInstanceId, target);
    }

    /** The instance a drill whose databases would be named {@code databasePrefix}... makes: athena-drill-NS-ID. */
    public static String drillInstanceId(String databasePrefix) {
        return RdsDrill.instanceId(databasePrefix);
    }

    /**
     * With DRILL_RDS: a new instance from the backup's snapshot, named after the drill, checked and
     * deleted afterwards. Without: null, and drills leave RDS out.
     */
    @Override
    public Component forDrill(java.nio.file.Path scratch, String databasePrefix) {
        return drills == null ? null : new RdsDrill(this, rds, RdsDrill.instanceId(databasePrefix), namespace, drills);
    }

    /**
     * Deletes every instance whose name a drill of {@code databasePrefix} gives (also those of earlier
     * drills that a kill or an instance still being created kept from being deleted), without a
     * final snapshot. Whether or not DRILL_RDS is still on: an instance left running costs money.
     */
    @Override
    public void removeDrillLeftovers(String databasePrefix) throws Exception {
        String prefix = RdsDrill.instancePrefix(databasePrefix);
        List<String> problems = new java.util.ArrayList<>();
        for (DBInstance i : rds.describeDBInstancesPaginator(r -> { }).dbInstances()) {
            String id = i.dbInstanceIdentifier();
            if (!(id + "-").startsWith(prefix) || "deleting".equals(i.dbInstanceStatus())) {
                continue;
            }
            try {
                rds.deleteDBInstance(r -> r.dbInstanceIdentifier(id).skipFinalSnapshot(true).deleteAutomatedBackups(true));
                log.info("drill: deleting RDS instance {} (it was {})", id, i.dbInstanceStatus());
            } catch (DbInstanceNotFoundException gone) {
                // deleted meanwhile
            } catch (software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException e) {
                problems.add("RDS instance " + id + " cannot be deleted while " + i.dbInstanceStatus()
                        + "; the next drill deletes it, or delete it in AWS (" + e.awsErrorDetails().errorMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
    }

    @Override
    public void forget(Manifest.ComponentSnapshot snapshot) {
        SnapshotInfo info = info(snapshot);
        try {
            rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(info.snapshotId()));
            log.info("deleted RDS snapshot {}", info.snapshotId());
        } catch (DbSnapshotNotFoundException e) {
            log.info("RDS snapshot {} was already gone", info.snapshotId());
        }
    }
}
