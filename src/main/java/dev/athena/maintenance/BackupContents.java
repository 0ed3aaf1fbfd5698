package dev.athena.maintenance;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.athena.component.postgres.PostgresComponent;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.FileNames;
import dev.athena.volume.PathSelection;
import dev.athena.volume.TreeEntry;
import dev.athena.volume.TreeReader;
import dev.athena.volume.VirtualTree;

/**
 * What a backup holds, read without restoring it: its components' entries (a volume's files and
 * folders, the gitserver's repositories, the config's keys, PostgreSQL's dump files), one stored
 * file as a stream (each chunk checked against its hash), and what changed between two backups.
 * Reads only; the repository may be opened read-only.
 */
public final class BackupContents {
    private final Repository repository;

    public BackupContents(Repository repository) {
        this.repository = repository;
    }

    /** One entry of a component: {@code path} relative to the component's root, "/" for the root itself. */
    public record Item(String component, String path, String type, Long size, int mode, String modified, String target) {
    }

    /** What changed between two backups: {@code added}, {@code removed} or {@code changed} (content, type or link target). */
    public record Change(String component, String change, String path, Long sizeBefore, Long sizeAfter) {
    }

    /**
     * The entries of backup {@code timestamp}, every component or one, optionally only {@code under}
     * a path (that path and what is under it), in the components' order and by path.
     */
    public void list(String timestamp, String component, String under, Consumer<Item> out) {
        Manifest m = repository.readManifest(timestamp);
        if (component != null && !m.components().containsKey(component)) {
            throw new IllegalArgumentException("backup " + timestamp + " has no component '" + component + "'; it holds " + m.components().keySet());
        }
        for (Map.Entry<String, Manifest.ComponentSnapshot> c : m.components().entrySet()) {
            if (component != null && !component.equals(c.getKey())) {
                continue;
            }
            PathSelection only = under == null || under.replace("/", "").isBlank() ? null : PathSelection.of(List.of(under));
            for (TreeReader r = new TreeReader(repository, c.getValue().treeIds()); r.hasNext(); ) {
                TreeEntry e = r.next();
                if (only != null && !only.covers(e.pathBytes())) {
                    continue;
                }
                out.accept(item(c.getKey(), e));
            }
        }
    }

    /** A stored file's content, checked chunk by chunk as it is read; throws naming the path when there is no such file. */
    public InputStream open(String timestamp, String component, String path) {
        Manifest m = repository.readManifest(timestamp);
        Manifest.ComponentSnapshot c = m.components().get(component);
        if (c == null) {
            throw new IllegalArgumentException("backup " + timestamp + " has no component '" + component + "'; it holds " + m.components().keySet());
        }
        PathSelection wanted = PathSelection.of(List.of(path));
        for (TreeReader r = new TreeReader(repository, c.treeIds()); r.hasNext(); ) {
            TreeEntry e = r.next();
            if (wanted.names(e.pathBytes())) {
                if (!e.isFile()) {
                    throw new IllegalArgumentException(component + "/" + path + " in backup " + timestamp + " is a " + e.type() + ", not a file");
                }
                return VirtualTree.open(repository, e);
            }
        }
        throw new IllegalArgumentException("backup " + timestamp + ", component " + component + " holds no " + path
                + " (athena ls " + timestamp + " " + component + " lists what it holds)");
    }

    /**
     * What changed from backup {@code before} to {@code after}, component by component, by path:
     * both trees are read side by side in their sorted order, so memory stays small for any number
     * of files. For PostgreSQL, the row counts of each table are compared too (path
     * {@code database/table}, sizes in rows).
     */
    public void diff(String before, String after, Consumer<Change> out) {
        Manifest a = repository.readManifest(before);
        Manifest b = repository.readManifest(after);
        java.util.Set<String> names = new java.util.LinkedHashSet<>(a.components().keySet());
        names.addAll(b.components().keySet());
        for (String name : names) {
            Manifest.ComponentSnapshot ca = a.components().get(name);
            Manifest.ComponentSnapshot cb = b.components().get(name);
            if (ca == null || cb == null) {
                out.accept(new Change(name, ca == null ? "added" : "removed", "/", null, null));
                continue;
            }
            diffTrees(name, new TreeReader(repository, ca.treeIds()), new TreeReader(repository, cb.treeIds()), out);
            if (PostgresComponent.KIND.equals(ca.kind()) && PostgresComponent.KIND.equals(cb.kind())) {
                diffRows(name, rows(ca), rows(cb), out);
            }
        }
    }

    private static void diffTrees(String component, TreeReader a, TreeReader b, Consumer<Change> out) {
        TreeEntry x = a.hasNext() ? a.next() : null;
        TreeEntry y = b.hasNext() ? b.next() : null;
        while (x != null || y != null) {
            int c = x == null ? 1 : y == null ? -1 : FileNames.compare(x.pathBytes(), y.pathBytes());
            if (c < 0) {
                out.accept(new Change(component, "removed", display(x), x.size(), null));
                x = a.hasNext() ? a.next() : null;
            } else if (c > 0) {
                out.accept(new Change(component, "added", display(y), null, y.size()));
                y = b.hasNext() ? b.next() : null;
            } else {
                if (!x.type().equals(y.type()) || !java.util.Objects.equals(x.chunks(), y.chunks())
                        || !java.util.Arrays.equals(x.targetBytes(), y.targetBytes())) {
                    out.accept(new Change(component, "changed", display(y), x.size(), y.size()));
                }
                x = a.hasNext() ? a.next() : null;
                y = b.hasNext() ? b.next() : null;
            }
        }
    }

    private static Map<String, Long> rows(Manifest.ComponentSnapshot snapshot) {
        Map<String, Long> out = new TreeMap<>();
        for (PostgresComponent.Database db : PostgresComponent.metadata(snapshot).databases()) {
            db.tables().forEach((table, rows) -> out.put(db.name() + "/" + table, rows));
        }
        return out;
    }

    private static void diffRows(String component, Map<String, Long> a, Map<String, Long> b, Consumer<Change> out) {
        java.util.Set<String> tables = new java.util.TreeSet<>(a.keySet());
        tables.addAll(b.keySet());
        for (String t : tables) {
            Long x = a.get(t);
            Long y = b.get(t);
            if (!java.util.Objects.equals(x, y)) {
                out.accept(new Change(component, x == null ? "added" : y == null ? "removed" : "changed", "rows of " + t, x, y));
            }
        }
    }

    private static Item item(String component, TreeEntry e) {
        return new Item(component, display(e), e.type(), e.isFile() ? e.size() : null, e.mode(),
                Instant.EPOCH.plusNanos(e.mtimeNs()).toString(), e.isSymlink() ? new String(e.targetBytes(), StandardCharsets.UTF_8) : null);
    }

    private static String display(TreeEntry e) {
        return e.pathBytes().length == 0 ? "/" : e.displayPath();
    }
}
