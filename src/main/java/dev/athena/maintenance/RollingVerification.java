package dev.athena.maintenance;

import static dev.athena.concurrent.Sizes.count;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import dev.athena.repository.BlobId;
import dev.athena.repository.BlobLocation;
import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.repository.Verifier;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.TreeReader;

/**
 * One run of continuous verification (restic's {@code check --read-data-subset}, kept going):
 * every manifest and index file is read and opened, and the next share of the packs, in the
 * order of their names from where the last run stopped, is read whole and hash-checked. The place
 * in the cycle is kept in the repository ({@code <ns>/verification.json}), so over
 * 100 / percent runs every stored byte is read back, and each completed cycle is recorded with
 * its start and end. A damaged pack is named with every backup that needs data from it.
 */
public final class RollingVerification {
    /** Where the cycle stands: the last pack checked, when this cycle began and how many packs it has read; the last cycle completed. */
    public record State(String cursor, String cycleStartedAt, long cyclePacksDone, String lastCycleStartedAt, String lastCycleFinishedAt,
                        Long lastCyclePacks) {
        static final State FRESH = new State(null, null, 0, null, null, null);
    }

    /** What one run found; {@code affected}: each backup that needs damaged data, with why. */
    public record Result(int manifestsChecked, List<String> damagedManifests, int indexFiles, List<String> damagedIndexFiles,
                         long packsChecked, long packsTotal, Map<String, String> damagedPacks, Map<String, String> affected,
                         State state, boolean cycleCompleted) {
        public boolean clean() {
            return damagedManifests.isEmpty() && damagedIndexFiles.isEmpty() && damagedPacks.isEmpty() && affected.isEmpty();
        }
    }

    /** Packs read between two looks at {@link #stopWhen}. */
    static final int BATCH = 16;
    private final Repository repository;
    private final int percent;
    private final Clock clock;
    private BooleanSupplier stop = () -> false;

    /**
     * Asked between batches of packs: when true, the run ends early and keeps its place, so the
     * next run goes on from there (the service lets a backup or restore asked for meanwhile go first).
     */
    public RollingVerification stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    public RollingVerification(Repository repository, int percent, Clock clock) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("the share of packs read per run must be 1 to 100 percent");
        }
        this.repository = repository;
        this.percent = percent;
        this.clock = clock;
    }

    /** The state kept in the repository, or a fresh one. */
    public State loadState() {
        try {
            return Json.read(repository.getSealed(repository.layout().verification()), State.class, "verification state");
        } catch (ObjectNotFoundException e) {
            return State.FRESH;
        } catch (RuntimeException e) {
            // A damaged state only costs the place in the cycle: start a new one.
            return State.FRESH;
        }
    }

    public Result run() {
        try (RepositoryLock lock = RepositoryLock.sharedForReading(repository, "verification")) {
            return check(loadState());
        }
    }

    private Result check(State before) {
        String now = clock.instant().toString();
        List<String> backups = repository.timestamps();
        List<String> damagedManifests = new ArrayList<>();
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        for (String ts : backups) {
            try {
                manifests.put(ts, repository.readManifest(ts));
            } catch (RuntimeException e) {
                damagedManifests.add("backup " + ts + ": manifest " + e.getMessage());
            }
        }
        // Loading the index reads and opens every index file; the ones that cannot be opened are remembered.
        List<BlobId> all = new ArrayList<>(new TreeSet<>(repository.index().packs()));
        List<String> damagedIndex = new ArrayList<>(new TreeSet<>(repository.damagedIndexFiles()));
        int indexFiles = repository.store().list(repository.layout().indexFolder()).size();

        long share = Math.max(1, (all.size() * (long) percent + 99) / 100);
        List<BlobId> chosen = new ArrayList<>();
        boolean wrapped = false;
        int start = 0;
        if (before.cursor() != null) {
            while (start < all.size() && all.get(start).hex().compareTo(before.cursor()) <= 0) {
                start++;
            }
        }
        for (int i = start; i < all.size() && chosen.size() < share; i++) {
            chosen.add(all.get(i));
        }
        if (chosen.size() < share || start + chosen.size() >= all.size()) {
            wrapped = true;
        }
        // In batches, so a request waits for one batch at most; a run stopped early keeps the place it reached.
        Map<BlobId, String> badPackMap = new java.util.TreeMap<>();
        Map<BlobId, String> badBlobMap = new java.util.TreeMap<>();
        int checked = 0;
        for (int i = 0; i < chosen.size(); i += BATCH) {
            if (i > 0 && stop.getAsBoolean()) {
                break;
            }
            Verifier.PackDamage batch = new Verifier(repository).checkPacks(chosen.subList(i, Math.min(chosen.size(), i + BATCH)));
            badPackMap.putAll(batch.packs());
            badBlobMap.putAll(batch.blobs());
            checked = Math.min(chosen.size(), i + BATCH);
        }
        if (checked < chosen.size()) {
            chosen = new ArrayList<>(chosen.subList(0, checked));
            wrapped = false;
        }
        Verifier.PackDamage damage = new Verifier.PackDamage(badPackMap, badBlobMap);
        Map<String, String> damagedPacks = new LinkedHashMap<>();
        damage.packs().forEach((pack, why) -> damagedPacks.put(pack.hex(), why));
        Set<BlobId> badPacks = new java.util.HashSet<>(damage.packs().keySet());
        for (var e : damage.blobs().entrySet()) {
            BlobLocation loc = repository.locate(e.getKey());
            if (loc != null) {
                damagedPacks.putIfAbsent(loc.pack().hex(), "blob " + e.getKey().shortHex() + " " + e.getValue());
            }
        }
        Map<String, String> affected = new LinkedHashMap<>();
        if (!damage.none()) {
            manifests.forEach((ts, m) -> {
                String why = needsDamaged(m, badPacks, damage.blobs().keySet());
                if (why != null) {
                    affected.put(ts, why);
                }
            });
        }
        long done = (before.cycleStartedAt() == null ? 0 : before.cyclePacksDone()) + chosen.size();
        String cycleStart = before.cycleStartedAt() == null ? now : before.cycleStartedAt();
        State after = wrapped
                ? new State(null, null, 0, cycleStart, clock.instant().toString(), done)
                : new State(chosen.get(chosen.size() - 1).hex(), cycleStart, done, before.lastCycleStartedAt(), before.lastCycleFinishedAt(),
                before.lastCyclePacks());
        repository.putSealed(repository.layout().verification(), Json.write(after));
        return new Result(manifests.size() + damagedManifests.size(), damagedManifests, indexFiles, damagedIndex, chosen.size(), all.size(),
                damagedPacks, affected, after, wrapped);
    }

    /** Why the backup cannot be wholly restored, naming the first component and file that need damaged data; null when none does. */
    private String needsDamaged(Manifest m, Set<BlobId> badPacks, Set<BlobId> badBlobs) {
        for (Map.Entry<String, Manifest.ComponentSnapshot> c : m.components().entrySet()) {
            for (BlobId tree : c.getValue().treeIds()) {
                if (damaged(tree, badPacks, badBlobs)) {
                    return "component " + c.getKey() + ": its file list is in damaged pack " + repository.locate(tree).pack().shortHex();
                }
            }
            try {
                for (TreeReader r = new TreeReader(repository, c.getValue().treeIds()); r.hasNext(); ) {
                    TreeEntry e = r.next();
                    if (e.chunks() == null) {
                        continue;
                    }
                    for (String chunk : e.chunks()) {
                        BlobId id = BlobId.parse(chunk);
                        if (damaged(id, badPacks, badBlobs)) {
                            return "component " + c.getKey() + ", file " + e.displayPath() + ": data in damaged pack "
                                    + repository.locate(id).pack().shortHex();
                        }
                    }
                }
            } catch (RuntimeException e) {
                return "component " + c.getKey() + ": its file list cannot be read: " + e.getMessage();
            }
        }
        return null;
    }

    private boolean damaged(BlobId id, Set<BlobId> badPacks, Set<BlobId> badBlobs) {
        if (badBlobs.contains(id)) {
            return true;
        }
        BlobLocation loc = repository.locate(id);
        return loc != null && badPacks.contains(loc.pack());
    }

    /** A person's line for the log and the record. */
    public static String describe(Result r) {
        // Only what was found damaged is named: "1 damaged pack; backups affected: [...]".
        List<String> damage = new java.util.ArrayList<>();
        if (!r.damagedPacks().isEmpty()) {
            damage.add(count(r.damagedPacks().size(), "damaged pack"));
        }
        if (!r.damagedManifests().isEmpty()) {
            damage.add(count(r.damagedManifests().size(), "damaged manifest"));
        }
        if (!r.damagedIndexFiles().isEmpty()) {
            damage.add(count(r.damagedIndexFiles().size(), "damaged index file"));
        }
        return "verified " + count(r.manifestsChecked(), "manifest") + ", " + count(r.indexFiles(), "index file") + " and " + r.packsChecked() + " of "
                + count(r.packsTotal(), "pack") + (r.cycleCompleted() ? " (a cycle over every pack completed)" : "")
                + (r.clean() ? ": all intact" : ": " + String.join(", ", damage) + "; backups affected: " + r.affected().keySet());
    }
}
