package dev.athena.volume;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Checks, entry by entry, that a tree read from a repository describes a real folder tree: the
 * root first, paths in walk order without repeats, every element a plain name, and every entry's
 * parent a folder of the tree. Restores run it over the whole tree before writing anything.
 */
final class TreeShape {
    private final String where;
    private final Deque<byte[]> folders = new ArrayDeque<>();
    private byte[] previous;

    TreeShape(String where) {
        this.where = where;
    }

    /** Accepts the next entry; {@link UnsafePathException} when it breaks the shape. */
    void accept(TreeEntry e) {
        byte[] rel = e.pathBytes();
        if (previous == null) {
            if (rel.length != 0 || !e.isDir()) {
                throw new UnsafePathException("the tree of " + where + " does not start with its root folder");
            }
        } else {
            if (FileNames.compare(previous, rel) >= 0) {
                throw new UnsafePathException("entries out of order or repeated at '" + e.displayPath() + "' in " + where);
            }
            for (byte[] element : split(rel)) {
                FileNames.checkName(element, where);
            }
            byte[] parent = FileNames.parentOf(rel);
            while (!folders.isEmpty() && !Arrays.equals(folders.peek(), parent)) {
                folders.pop();
            }
            if (folders.isEmpty()) {
                throw new UnsafePathException("'" + e.displayPath() + "' in " + where + " has no parent folder in the backup");
            }
        }
        previous = rel;
        if (e.isDir()) {
            folders.push(rel);
        }
    }

    private static byte[][] split(byte[] path) {
        int parts = 1;
        for (byte b : path) {
            if (b == '/') {
                parts++;
            }
        }
        byte[][] out = new byte[parts][];
        int start = 0;
        int k = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                out[k++] = Arrays.copyOfRange(path, start, i);
                start = i + 1;
            }
        }
        return out;
    }
}
