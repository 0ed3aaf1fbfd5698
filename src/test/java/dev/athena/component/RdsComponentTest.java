package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.component.rds.RdsComponent;
import dev.athena.component.rds.RdsDrillSettings;
import dev.athena.config.BackupUrls;
import dev.athena.config.StorageConfig;
import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.schedule.RetentionPolicy;
import dev.athena.service.JobRecords;
import dev.athena.service.RetentionSweep;
import dev.athena.storage.LocalStore;
import dev.athena.testing.MutableClock;
import dev.athena.testing.RdsStub;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;

/** The real AWS SDK RDS client against a local stub of the RDS API (RdsStub): no RDS runs here. */
class RdsComponentTest {
    @TempDir
    Path tmp;
    RdsStub stub;
    RdsClient rds;

    @BeforeEach
    void start() throws Exception {
        stub = new RdsStub();
        rds = RdsClient.builder().endpointOverride(stub.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUB", "stub-secret"))).build();
    }

    @AfterEach
    void stop() {
        rds.close();
        stub.close();
    }

    private RdsComponent component() {
        return new RdsComponent(rds, "platform-db", "app", null, Duration.ofMillis(10), Duration.ofMinutes(1));
    }

    @Test
    void aSnapshotPerBackupARestoredInstanceAndRetentionDeletesExpiredSnapshots() throws Exception {
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        Repository repo = Repository.open(store, "app", null, true);
        Manifest first = new BackupCommand(repo).component(component()).timestamp("2023-02-02t16-00-00").call();
        assertThat(first.components().get("postgres").kind()).isEqualTo("rds-snapshot");
        assertThat(stub.snapshots).containsKey("athena-app-2023-02-02t16-00-00");
        assertThat(stub.snapshots.get("athena-app-2023-02-02t16-00-00")).containsValue("2023-02-02t16-00-00").containsValue("app");
        assertThat(new VerifyCommand(repo).call().problems()).isEmpty();

        var outcome = new RestoreCommand(repo, "2023-02-02t16-00-00").component(component()).call().get("postgres");
        assertThat(stub.instances).containsKey("platform-db-2023-02-02t16-00-00");
        assertThat(stub.instances.get("platform-db-2023-02-02t16-00-00")).containsEntry("snapshotFrom", "athena-app-2023-02-02t16-00-00");
        assertThat(outcome.notes()).singleElement().asString().contains("platform-db-2023-02-02t16-00-00.abc123.us-east-1.rds.amazonaws.com:5432");

        // A second restore from the same backup refuses to reuse the instance name.
        assertThatThrownBy(() -> new RestoreCommand(repo, "2023-02-02t16-00-00").component(component()).call())
                .hasMessageContaining("already exists").hasMessageContaining("AWS_RDS_RESTORE_IDENTIFIER");

        new BackupCommand(repo).component(component()).timestamp("2023-02-03t16-00-00").call();
        MutableClock clock = new MutableClock(Instant.parse("2023-06-01T00:00:00Z"));
        JobRecords records = new JobRecords(repo, new BackupUrls(StorageConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString()))));
        new RetentionSweep(records, () -> repo, new RetentionPolicy(90), clock, List.of(component())).run();
        assertThat(stub.snapshots).containsOnlyKeys("athena-app-2023-02-03t16-00-00");
    }

    @Test
    void aSnapshotDeletedInAwsFailsTheRestoreChecks() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).component(component()).timestamp("2023-02-02t16-00-00").call();
        stub.snapshots.clear();
        assertThatThrownBy(() -> new RestoreCommand(repo, "2023-02-02t16-00-00").component(component()).call())
                .hasMessageContaining("athena-app-2023-02-02t16-00-00").hasMessageContaining("no longer exists");
        assertThat(stub.instances).containsOnlyKeys("platform-db");
    }

    @Test
    void anUnknownInstanceFailsTheBackup() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        RdsComponent wrong = new RdsComponent(rds, "no-such-db", "app", null, Duration.ofMillis(10), Duration.ofMinutes(1));
        assertThatThrownBy(() -> new BackupCommand(repo).component(wrong).call()).hasMessageContaining("component postgres")
                .hasMessageContaining("no-such-db");
        assertThat(repo.timestamps()).isEmpty();
    }

    /** Two hours of waiting on a virtual clock: the snapshot is given up and deleted, naming how long it waited. */
    @Test
    void aSnapshotThatNeverBecomesAvailableFailsTheBackupAfterTheTimeoutAndIsDeleted() throws Exception {
        stub.snapshotsStuck = true;
        dev.athena.testing.VirtualPacer pacer = new dev.athena.testing.VirtualPacer(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        // Polled every 5 minutes here (15 s in serve): each poll is a real request to the stub.
        RdsComponent slow = new RdsComponent(rds, "platform-db", "app", null, Duration.ofMinutes(5), Duration.ofHours(2), pacer);
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        assertThatThrownBy(() -> new BackupCommand(repo).component(slow).timestamp("2026-01-01t00-00-00").call())
                .hasMessageContaining("still creating after 120 minutes");
        assertThat(pacer.sleeps.get()).as("polled every 5 minutes for 2 hours").isEqualTo(25);
        assertThat(stub.snapshots).as("the unfinished snapshot is deleted").isEmpty();
        assertThat(repo.timestamps()).isEmpty();
    }

    private static final String DRILL = "athena_drill_abc123_deadbeef_";

    /** A drill (DRILL_RDS=true) makes an instance of its own from the snapshot, checks it, and its cleanup deletes only it. */
    @Test
    void aDrillMakesItsOwnInstanceFromTheSnapshotChecksItAndItsCleanupDeletesOnlyIt() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Manifest.ComponentSnapshot snapshot = new BackupCommand(repo).component(component()).timestamp("2026-12-01t02-00-00").call()
                .components().get("postgres");
        stub.instances.put("athena-drill-ffffff-00000000", new java.util.HashMap<>(Map.of("status", "available")));
        RdsComponent platform = component().drilledAs(new RdsDrillSettings(Optional.of("db.t4g.micro"), Optional.of("drills"),
                List.of("sg-0123456789abcdef0")));
        Component drill = platform.forDrill(tmp.resolve("scratch"), DRILL);
        assertThat(drill.destination()).contains("athena-drill-abc123-deadbeef");

        try (java.net.ServerSocket database = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            stub.endpointHost = "127.0.0.1";
            stub.endpointPort = database.getLocalPort();
            RestoreOutcome outcome = new RestoreCommand(repo, "2026-12-01t02-00-00").component(drill).call().get("postgres");
            assertThat(outcome.notes()).singleElement().asString().contains("athena-drill-abc123-deadbeef", "athena-app-2026-12-01t02-00-00");
            Map<String, String> made = stub.instances.get("athena-drill-abc123-deadbeef");
            assertThat(made).containsEntry("snapshotFrom", "athena-app-2026-12-01t02-00-00").containsEntry("DBInstanceClass", "db.t4g.micro")
                    .containsEntry("DBSubnetGroupName", "drills").containsEntry("VpcSecurityGroupIds.VpcSecurityGroupId.1", "sg-0123456789abcdef0")
                    .containsEntry("PubliclyAccessible", "false").containsEntry("MultiAZ", "false").containsValue("athena-drill");
            List<CheckResult> checks = drill.verifyRestored(repo, "2026-12-01t02-00-00", snapshot);
            assertThat(checks).hasSize(3).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
            assertThat(checks.get(2).detail()).isEqualTo("127.0.0.1:" + database.getLocalPort());
        }
        assertThat(stub.instances).as("the platform's instance is not restored over, and no restore instance is made")
                .containsOnlyKeys("platform-db", "athena-drill-abc123-deadbeef", "athena-drill-ffffff-00000000");

        platform.removeDrillLeftovers(DRILL);
        assertThat(stub.instances.get("athena-drill-abc123-deadbeef")).containsEntry("status", "deleting").containsEntry("SkipFinalSnapshot", "true");
        assertThat(stub.instances.get("athena-drill-ffffff-00000000")).as("another namespace's drill").containsEntry("status", "available");
        assertThat(stub.instances.get("platform-db")).containsEntry("status", "available");
        rds.describeDBInstances();
        assertThat(stub.instances).containsOnlyKeys("platform-db", "athena-drill-ffffff-00000000");
    }

    @Test
    void aDrillInstanceNobodyCanConnectToFailsItsCheckNamingTheSettingsToFix() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        Manifest backup = new BackupCommand(repo).component(component()).timestamp("2026-12-01t02-00-00").call();
        Component drill = component().drilledAs(new RdsDrillSettings(Optional.empty(), Optional.empty(), List.of())).forDrill(tmp, DRILL);
        int closed;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            closed = free.getLocalPort();
        }
        stub.endpointHost = "127.0.0.1";
        stub.endpointPort = closed;
        new RestoreCommand(repo, "2026-12-01t02-00-00").component(drill).call();
        assertThat(stub.instances.get("athena-drill-abc123-deadbeef")).doesNotContainKey("DBInstanceClass");
        List<CheckResult> checks = drill.verifyRestored(repo, "2026-12-01t02-00-00", backup.components().get("postgres"));
        assertThat(checks.get(2).passed()).isFalse();
        assertThat(checks.get(2).detail()).contains("127.0.0.1:" + closed, "DRILL_RDS_SECURITY_GROUPS");
    }

    @Test
    void withoutDrillRdsADrillLeavesRdsOut() {
        assertThat(component().forDrill(tmp, DRILL)).isNull();
    }

    /** An instance still being created when the drill was killed: the sweep says so, and the next sweep (for the whole namespace) deletes it. */
    @Test
    void aDrillInstanceThatCannotYetBeDeletedIsNamedAndDeletedByTheNextSweep() throws Exception {
        stub.refuseDeleteWhileCreating = true;
        stub.instancesStuck = true;
        stub.instances.put("athena-drill-abc123-deadbeef", new java.util.HashMap<>(Map.of("status", "creating")));
        RdsComponent platform = component();
        assertThatThrownBy(() -> platform.removeDrillLeftovers(DRILL)).hasMessageContaining("athena-drill-abc123-deadbeef")
                .hasMessageContaining("creating").hasMessageContaining("next drill deletes it");
        stub.instancesStuck = false;
        rds.describeDBInstances();
        platform.removeDrillLeftovers("athena_drill_abc123_");
        assertThat(stub.instances.get("athena-drill-abc123-deadbeef")).containsEntry("status", "deleting");
    }

    /** A point-in-time restore of RDS: RestoreDBInstanceToPointInTime from the platform's instance, within what RDS can still restore. */
    @Test
    void aRestoreToAMomentMakesAnInstanceAsThePlatformsWasThen() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).component(component()).timestamp("2026-12-07t10-00-00").call();
        Instant target = Instant.parse("2026-12-07T10:30:00Z");
        stub.latestRestorableTime = "2026-12-07T10:20:00Z";
        assertThatThrownBy(() -> new RestoreCommand(repo, "2026-12-07t10-00-00").component(component().atMoment(target)).call())
                .hasMessageContaining("up to 2026-12-07T10:20:00Z only").hasMessageContaining("earlier moment");
        stub.latestRestorableTime = "2026-12-07T11:55:00Z";
        var outcome = new RestoreCommand(repo, "2026-12-07t10-00-00").component(component().atMoment(target)).call().get("postgres");
        assertThat(stub.instances.get("platform-db-at-20261207-103000")).containsEntry("restoredFrom", "platform-db@2026-12-07T10:30:00Z");
        assertThat(outcome.notes()).singleElement().asString().contains("as platform-db was at 2026-12-07T10:30:00Z");
        assertThat(component().atMoment(null)).as("no moment: the snapshot").isInstanceOf(RdsComponent.class);
    }
}
