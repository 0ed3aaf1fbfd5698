package dev.athena.component.postgres;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.athena.component.CheckResult;
import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.component.postgres.pitr.PointInTimeRecovery;
import dev.athena.component.postgres.pitr.WalArchive;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.VirtualTree;

/**
 * The platform's PostgreSQL restored physically: the backup's base backup, then the archived WAL
 * up to {@code target} (none: to the end of the base backup), in the data folder
 * POSTGRES_DATA_DIR, between POSTGRES_STOP_COMMAND and POSTGRES_START_COMMAND. See
 * {@link PointInTimeRecovery}.
 */
final class PointInTimeComponent implements Component {
    private final Optional<PointInTimeRecovery.Placement> placement;
    private final Optional<Instant> target;
    private final Clock clock;
    private PointInTimeRecovery.Outcome outcome;

    PointInTimeComponent(Optional<PointInTimeRecovery.Placement> placement, Optional<Instant> target, Clock clock) {
        this.placement = placement;
        this.target = target;
        this.clock = clock;
    }

    @Override
    public String name() {
        return PostgresComponent.KIND;
    }

    @Override
    public String destination() {
        return placement.map(p -> "the data folder " + p.dataDir() + " (set aside first)").orElse("no data folder (POSTGRES_DATA_DIR is unset)");
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) {
        throw new UnsupportedOperationException("a point-in-time restore backs nothing up");
    }

    private PointInTimeRecovery recovery(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws IOException {
        PointInTimeRecovery.Base base = PostgresComponent.baseBackupOf(snapshot).orElseThrow(() -> new IOException("backup " + backup
                + " holds no base backup of PostgreSQL (it was taken with POSTGRES_BACKUP_MODE=logical), so it cannot be recovered to a moment:"
                + " choose a backup taken with POSTGRES_BACKUP_MODE=physical or both"));
        PointInTimeRecovery.Placement where = placement.orElseThrow(() -> new IOException("a point-in-time restore recovers the cluster in its data"
                + " folder: set POSTGRES_DATA_DIR, POSTGRES_STOP_COMMAND and POSTGRES_START_COMMAND"));
        TreeEntry tar = VirtualTree.files(repository, snapshot.treeIds()).get(BaseBackup.FILE);
        if (tar == null) {
            throw new IOException("backup " + backup + " names a base backup, but its " + BaseBackup.FILE + " is missing");
        }
        return new PointInTimeRecovery(() -> VirtualTree.open(repository, tar), base, new WalArchive(repository), target, where, clock);
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        new dev.athena.volume.VolumeRestore(repository).precheck(backup, name(), snapshot.treeIds());
        recovery(repository, backup, snapshot).precheck();
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        long t0 = System.nanoTime();
        PointInTimeRecovery.Outcome done = recovery(repository, backup, snapshot).run();
        synchronized (this) {
            outcome = done;
        }
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("walSegments", (long) done.walSegmentsReplayed());
        if (done.lastReplayedTransaction() != null) {
            // The moment this component was recovered to, for the report's "recovered to" (the others: their capture in the backup).
            stats.put("recoveredToEpochMs", Instant.parse(done.lastReplayedTransaction()).toEpochMilli());
        }
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        List<String> notes = new ArrayList<>();
        notes.add("recovered to " + done.target() + ": the last transaction replayed committed at "
                + (done.lastReplayedTransaction() == null ? "(none after the base backup)" : done.lastReplayedTransaction())
                + ", now on timeline " + done.timeline());
        notes.add("the data folder as it was before is kept at " + done.previousDataKeptAt() + ": remove it once the restore is accepted");
        return new RestoreOutcome(stats, notes);
    }

    /** The server answers, has left recovery, and replayed nothing committed after the target. */
    @Override
    public List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) {
        PointInTimeRecovery.Outcome done;
        synchronized (this) {
            done = outcome;
        }
        List<CheckResult> checks = new ArrayList<>();
        if (done == null) {
            checks.add(new CheckResult(name() + ": recovered to a moment", false, "the recovery did not run"));
            return checks;
        }
        checks.add(new CheckResult(name() + ": the server answers and has left recovery", true, "timeline " + done.timeline()));
        if (target.isPresent() && !target.get().equals(PointInTimeRecovery.LATEST)) {
            boolean before = done.lastReplayedTransaction() == null || !Instant.parse(done.lastReplayedTransaction()).isAfter(target.get());
            checks.add(new CheckResult(name() + ": nothing committed after " + target.get() + " was replayed", before,
                    "last transaction replayed: " + done.lastReplayedTransaction()));
        }
        return checks;
    }
}
