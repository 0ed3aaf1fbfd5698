package dev.athena.component.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import dev.athena.component.postgres.pitr.ScratchServer;
import dev.athena.component.postgres.pitr.WalArchive;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.VirtualTree;

/**
 * The platform's PostgreSQL restored physically: the backup's base backup, then the archived WAL
 * up to {@code target} (none: to the end of the base backup). Two placements (see {@link
 * PointInTimeRecovery}):
 * <ul>
 * <li>with POSTGRES_DATA_DIR, in the server's own data folder, between POSTGRES_STOP_COMMAND and
 * POSTGRES_START_COMMAND: the fastest, for a destination that may be stopped;
 * <li>without it, logically: recovered in a {@link ScratchServer} of the backup's major version,
 * then dumped and loaded into the running destination database by database ({@link ScratchLoad}),
 * each swapped in only once loaded. The destination stays up and may run a newer major version.
 * </ul>
 */
final class PointInTimeComponent implements Component {
    private final PostgresComponent destination;
    private final PostgresSettings settings;
    private final Optional<PointInTimeRecovery.Placement> placement;
    /** Some databases, each to the name it gets in the destination; null: all of them, and the roles. */
    private final Map<String, String> only;
    private final Optional<Instant> target;
    private final Clock clock;
    private final Duration timeout = Duration.ofHours(2);
    private PointInTimeRecovery.Outcome outcome;
    private ScratchLoad.Dumped loaded;

    PointInTimeComponent(PostgresComponent destination, PostgresSettings settings, Optional<PointInTimeRecovery.Placement> placement,
                         Map<String, String> only, Optional<Instant> target, Clock clock) {
        if (only != null && placement.isPresent()) {
            throw new IllegalArgumentException("some databases are loaded logically, never into the data folder");
        }
        this.destination = destination;
        this.settings = settings;
        this.placement = placement;
        this.only = only;
        this.target = target;
        this.clock = clock;
    }

    @Override
    public String name() {
        return PostgresComponent.KIND;
    }

    @Override
    public String destination() {
        return placement.map(p -> "the data folder " + p.dataDir() + " (set aside first)")
                .orElse((only == null ? "the databases" : "databases " + String.join(", ", only.values())) + " on " + settings.host() + ":"
                        + settings.port() + ", loaded from a scratch server recovered in " + settings.scratch());
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) {
        throw new UnsupportedOperationException("a point-in-time restore backs nothing up");
    }

    private PointInTimeRecovery recovery(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws IOException {
        PointInTimeRecovery.Base base = PostgresComponent.baseBackupOf(snapshot).orElseThrow(() -> new IOException("backup " + backup
                + " holds no base backup of PostgreSQL (it was taken with POSTGRES_BACKUP_MODE=logical), so it cannot be recovered to a moment:"
                + " choose a backup taken with POSTGRES_BACKUP_MODE=physical or both"));
        TreeEntry tar = VirtualTree.files(repository, snapshot.treeIds()).get(BaseBackup.FILE);
        if (tar == null) {
            throw new IOException("backup " + backup + " names a base backup, but its " + BaseBackup.FILE + " is missing");
        }
        return new PointInTimeRecovery(() -> VirtualTree.open(repository, tar), base, new WalArchive(repository), target, clock);
    }

    private static int major(Manifest.ComponentSnapshot snapshot) {
        return PostgresComponent.metadata(snapshot).serverMajor();
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        new dev.athena.volume.VolumeRestore(repository).precheck(backup, name(), snapshot.treeIds());
        PointInTimeRecovery recovery = recovery(repository, backup, snapshot);
        if (placement.isPresent()) {
            recovery.precheck(placement.get());
            return;
        }
        List<WalArchive.Entry> chain = recovery.walChain();
        ScratchServer.Binaries.find(major(snapshot), settings.binDir());
        PostgresComponent.Metadata m = PostgresComponent.metadata(snapshot);
        PostgresComponent.checkHeld(backup, m, only);
        destination.checkDestination(m.serverVersion(), m.serverMajor());
        // The scratch server's data folder (the base backup and the WAL), then the dumps beside it: at most about as large again.
        WalArchive.Info archived = new WalArchive(repository).info();
        long segment = archived == null ? 0 : archived.segmentSize();
        long needed = 2 * snapshot.stats().getOrDefault("baseBackupBytes", 0L) + chain.size() * segment;
        Path scratch = settings.scratch();
        ScratchServer.checkReachable(scratch);
        long free = Files.getFileStore(scratch).getUsableSpace();
        if (free < needed) {
            throw new IOException("not enough free space in " + scratch + " to recover PostgreSQL in a scratch server and dump it: " + free
                    + " bytes free, about " + needed + " needed (set ATHENA_SCRATCH_DIR, or POSTGRES_DATA_DIR to recover in place)");
        }
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        long t0 = System.nanoTime();
        PointInTimeRecovery recovery = recovery(repository, backup, snapshot);
        PointInTimeRecovery.Outcome done;
        List<String> notes = new ArrayList<>();
        Map<String, Long> stats = new LinkedHashMap<>();
        if (placement.isPresent()) {
            done = recovery.run(placement.get());
            notes.add("the data folder as it was before is kept at " + done.previousDataKeptAt() + ": remove it once the restore is accepted");
        } else {
            done = recoverLogically(recovery, snapshot, stats, notes);
        }
        synchronized (this) {
            outcome = done;
        }
        stats.put("walSegments", (long) done.walSegmentsReplayed());
        if (done.lastReplayedTransaction() != null) {
            // The moment this component was recovered to, for the report's "recovered to" (the others: their capture in the backup).
            stats.put("recoveredToEpochMs", Instant.parse(done.lastReplayedTransaction()).toEpochMilli());
        }
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        notes.add(0, "recovered to " + done.target() + ": the last transaction replayed committed at "
                + (done.lastReplayedTransaction() == null ? "(none after the base backup)" : done.lastReplayedTransaction())
                + (placement.isPresent() ? ", now on timeline " + done.timeline() : ""));
        return new RestoreOutcome(stats, notes);
    }

    /** In a scratch server, then loaded into the running destination; what it loaded is kept for {@link #verifyRestored}. */
    private PointInTimeRecovery.Outcome recoverLogically(PointInTimeRecovery recovery, Manifest.ComponentSnapshot snapshot, Map<String, Long> stats,
                                                         List<String> notes) throws Exception {
        ScratchServer.Binaries binaries = ScratchServer.Binaries.find(major(snapshot), settings.binDir());
        ScratchServer.removeLeftovers(settings.scratch(), settings.binDir());
        List<WalArchive.Entry> chain = recovery.walChain();
        Path work = Files.createTempDirectory(Files.createDirectories(settings.scratch()), "athena-pg-pitr-dumps-");
        try {
            ScratchLoad.Dumped dumped;
            String[] reached;
            try (ScratchServer scratch = ScratchServer.recover(recovery, chain, settings.scratch(), binaries,
                    List.of(settings.user(), "postgres"), timeout, clock)) {
                reached = scratch.reached();
                dumped = ScratchLoad.dump(scratch, settings, major(snapshot), work, only);
            }
            ScratchLoad.load(destination, settings, dumped, only == null);
            synchronized (this) {
                loaded = dumped;
            }
            stats.put("databases", (long) dumped.databases().size());
            stats.put("tables", dumped.databases().stream().mapToLong(d -> d.tables().size()).sum());
            notes.add("recovered in a scratch PostgreSQL " + dumped.major() + " server, then loaded database by database: "
                    + String.join(", ", dumped.databases().stream().map(PostgresComponent.Database::name).toList()));
            return new PointInTimeRecovery.Outcome(recovery.goal(), reached[0], reached[1], null, chain.size());
        } finally {
            dev.athena.component.ScratchFolder.delete(work);
        }
    }

    /**
     * The server answers and has left recovery, nothing committed after the target was replayed, and (loaded logically) each
     * database's tables hold the rows the recovered cluster's did.
     */
    @Override
    public List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        PointInTimeRecovery.Outcome done;
        ScratchLoad.Dumped dumped;
        synchronized (this) {
            done = outcome;
            dumped = loaded;
        }
        List<CheckResult> checks = new ArrayList<>();
        if (done == null) {
            checks.add(new CheckResult(name() + ": recovered to a moment", false, "the recovery did not run"));
            return checks;
        }
        if (placement.isPresent()) {
            checks.add(new CheckResult(name() + ": the server answers and has left recovery", true, "timeline " + done.timeline()));
        }
        if (target.isPresent() && !target.get().equals(PointInTimeRecovery.LATEST)) {
            boolean before = done.lastReplayedTransaction() == null || !Instant.parse(done.lastReplayedTransaction()).isAfter(target.get());
            checks.add(new CheckResult(name() + ": nothing committed after " + target.get() + " was replayed", before,
                    "last transaction replayed: " + done.lastReplayedTransaction()));
        }
        if (dumped != null) {
            for (PostgresComponent.Database db : dumped.databases()) {
                checks.add(destination.rowCountCheck(db, "the recovered cluster"));
            }
        }
        return checks;
    }
}
