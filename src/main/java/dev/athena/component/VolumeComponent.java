package dev.athena.component;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.repository.BlobId;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.PathSelection;
import dev.athena.volume.RestoredTreeCheck;
import dev.athena.volume.VolumeBackup;
import dev.athena.volume.VolumeRestore;

/** A folder (a mounted persistent volume) kept with the engine's full fidelity. */
public class VolumeComponent implements Component {
    public static final String KIND = "volume";
    private final String name;
    private final Path folder;
    /** For an item-level restore, the paths restored; null for the whole volume. */
    private final PathSelection selection;

    public VolumeComponent(String name, Path folder) {
        this(name, folder, null);
    }

    protected VolumeComponent(String name, Path folder, PathSelection selection) {
        this.name = name;
        this.folder = folder;
        this.selection = selection;
    }

    @Override
    public String destination() {
        return "folder " + folder;
    }

    /** The volume restored into {@code scratch/<name>}, and checked file by file, like any restore. */
    @Override
    public Component forDrill(Path scratch, String databasePrefix) {
        return new VolumeComponent(name, scratch.resolve(name));
    }

    /** Files or folders of the volume (paths as {@code athena ls} shows them), each with what is under it. */
    @Override
    public Component only(List<String> items) {
        return new VolumeComponent(name, folder, PathSelection.of(items));
    }

    /** The paths an item-level restore takes, or null for the whole volume. */
    protected PathSelection selection() {
        return selection;
    }

    private VolumeRestore restorer(Repository repository) {
        VolumeRestore r = new VolumeRestore(repository);
        return selection == null ? r : r.only(selection);
    }

    @Override
    public String name() {
        return name;
    }

    /** The manifest's kind for this component: how it is restored. */
    protected String kind() {
        return KIND;
    }

    public Path folder() {
        return folder;
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        List<BlobId> parentTree = parent != null && kind().equals(parent.kind()) ? parent.treeIds() : null;
        long t0 = System.nanoTime();
        VolumeBackup.Result r = new VolumeBackup(repository).run(folder, parentTree);
        Map<String, Long> stats = new LinkedHashMap<>(r.stats());
        stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
        return new Manifest.ComponentSnapshot(kind(), r.tree().stream().map(BlobId::hex).toList(), stats, r.warnings(),
                Map.of("path", folder.toString()));
    }

    @Override
    public List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        RestoredTreeCheck.Result r = RestoredTreeCheck.check(repository, snapshot.treeIds(), folder, selection);
        String counts = dev.athena.concurrent.Sizes.count(r.files(), "file") + " (" + r.bytes() + " bytes, content hashed), "
                + dev.athena.concurrent.Sizes.count(r.dirs(), "folder") + ", " + dev.athena.concurrent.Sizes.count(r.symlinks(), "link");
        return List.of(new CheckResult(name + ": files match the backup" + (selection == null ? "" : " (" + String.join(", ", selection.paths()) + ")"), r.ok(),
                r.ok() ? counts : counts + "; " + r.mismatches().size() + " differ: " + String.join("; ", r.mismatches().subList(0, Math.min(5, r.mismatches().size())))));
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new IllegalStateException("component " + name + ": " + folder + " is not a writable folder");
        }
        long needed = snapshot.stats().getOrDefault("bytes", 0L);
        long free = Files.getFileStore(existing).getUsableSpace();
        if (free < needed) {
            throw new IllegalStateException("component " + name + ": not enough free space at " + folder + ": " + free
                    + " bytes free, the backup holds " + needed);
        }
        restorer(repository).precheck(backup, name, snapshot.treeIds());
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        return RestoreOutcome.of(restorer(repository).restoreChecked(backup, name, snapshot.treeIds(), folder).stats());
    }
}
