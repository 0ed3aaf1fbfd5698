package dev.athena.repository;

import java.util.List;
import java.util.Map;

/**
 * The record of one backup, written last: a backup whose manifest is absent does not exist.
 * Each component names the tree blobs that describe what it holds, and {@code windows} when each
 * was captured.
 */
public record Manifest(int version, String namespace, String timestamp, String startedAt, String finishedAt,
                       String hostname, String platformVersion, Map<String, ComponentSnapshot> components,
                       List<String> warnings, Map<String, Window> windows) {
    public static final int VERSION = 1;

    /**
     * When a component's backup started and finished: its data is from within this window (a
     * database from its start, when its snapshot is taken). Absent in backups made before Athena
     * backed up components side by side.
     */
    public record Window(String startedAt, String finishedAt) {
        /** How far apart the first and the last capture started; zero for fewer than two. */
        public static java.time.Duration spread(Map<String, Window> windows) {
            List<java.time.Instant> starts = windows.values().stream().map(w -> java.time.Instant.parse(w.startedAt())).sorted().toList();
            return starts.size() < 2 ? java.time.Duration.ZERO : java.time.Duration.between(starts.get(0), starts.get(starts.size() - 1));
        }
    }

    /** This manifest when it has the shape a restore needs; a {@link CorruptDataException} naming what is wrong otherwise. */
    Manifest checkShape(String expectedTimestamp, String what) {
        if (!expectedTimestamp.equals(timestamp)) {
            throw new CorruptDataException(what + " has the wrong shape: it names backup '" + timestamp + "', not " + expectedTimestamp);
        }
        if (components == null) {
            throw new CorruptDataException(what + " has the wrong shape: no components");
        }
        components.forEach((name, c) -> {
            if (c == null || c.tree() == null) {
                throw new CorruptDataException(what + " has the wrong shape: component '" + name + "' has no tree");
            }
            try {
                c.treeIds();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CorruptDataException(what + " has the wrong shape: component '" + name + "' names a tree that is not a blob id");
            }
        });
        return this;
    }

    public record ComponentSnapshot(String kind, List<String> tree, Map<String, Long> stats, List<String> warnings,
                                    Map<String, Object> details) {
        public List<BlobId> treeIds() {
            return tree.stream().map(BlobId::parse).toList();
        }
    }
}
