package dev.athena.volume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Files and folders of a volume named by their paths, each with everything under it: what an
 * item-level restore takes out of a backup, or what a look inside one lists. Paths are relative to the volume's root ("projects/a", "graph.db");
 * a leading or trailing slash is ignored, and "." or ".." anywhere is refused, so a selection
 * cannot reach outside the volume.
 */
public final class PathSelection {
    private final List<byte[]> paths;

    private PathSelection(List<byte[]> paths) {
        this.paths = paths;
    }

    /** Throws {@link IllegalArgumentException} naming a path that is empty or steps out of the volume. */
    public static PathSelection of(List<String> items) {
        if (items == null || items.isEmpty()) {
            throw new IllegalArgumentException("no path given to restore: name files or folders of the volume, e.g. projects/a");
        }
        List<byte[]> out = new ArrayList<>();
        for (String item : items) {
            String p = item == null ? "" : item.strip();
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                throw new IllegalArgumentException("'" + item + "' names the whole volume, not a file or folder in it");
            }
            for (String part : p.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    throw new IllegalArgumentException("'" + item + "' is not a path inside the volume (no '.', '..' or '//'): write it as"
                            + " the backup lists it, e.g. projects/a");
                }
            }
            out.add(p.getBytes(StandardCharsets.UTF_8));
        }
        return new PathSelection(List.copyOf(out));
    }

    /** True when {@code rel} is one of the paths itself. */
    public boolean names(byte[] rel) {
        for (byte[] p : paths) {
            if (Arrays.equals(rel, p)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code rel} is a selected path or lies under one. */
    public boolean covers(byte[] rel) {
        for (byte[] p : paths) {
            if (Arrays.equals(rel, p) || under(rel, p)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code rel} is the root or a folder on the way to a selected path (not itself selected). */
    public boolean leadsTo(byte[] rel) {
        if (rel.length == 0) {
            return true;
        }
        for (byte[] p : paths) {
            if (under(p, rel)) {
                return true;
            }
        }
        return false;
    }

    /** The selected paths no entry of the tree matched: what the backup does not hold. */
    public List<String> missingFrom(TreeReader tree) {
        boolean[] found = new boolean[paths.size()];
        while (tree.hasNext()) {
            byte[] rel = tree.next().pathBytes();
            for (int i = 0; i < found.length; i++) {
                found[i] |= Arrays.equals(rel, paths.get(i));
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            if (!found[i]) {
                missing.add(new String(paths.get(i), StandardCharsets.UTF_8));
            }
        }
        return missing;
    }

    public List<String> paths() {
        return paths.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }

    /** True when {@code rel} lies strictly below {@code dir}. */
    private static boolean under(byte[] rel, byte[] dir) {
        return rel.length > dir.length + 1 && rel[dir.length] == '/' && Arrays.equals(rel, 0, dir.length, dir, 0, dir.length);
    }
}
