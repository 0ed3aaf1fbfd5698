package dev.athena.volume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.athena.repository.BlobId;
import dev.athena.repository.CorruptDataException;
import dev.athena.repository.Repository;
import dev.athena.repository.Verifier;

/**
 * Checks that everything one component's tree needs can be read back, and names each damaged
 * file: "backup 2023-02-02t16-00-00, component metagraph, file a/b: chunk 1f2e.. damaged in pack ..".
 */
public final class TreeCheck {
    private TreeCheck() {
    }

    public static List<String> check(Repository repository, String backup, String component, List<BlobId> tree, Verifier.Depth depth) {
        return check(repository, backup, component, tree, depth, null);
    }

    /** As above; with a {@code shape}, every entry also passes it in the same read of the tree (a restore's precheck). */
    static List<String> check(Repository repository, String backup, String component, List<BlobId> tree, Verifier.Depth depth,
                              TreeShape shape) {
        String where = "backup " + backup + ", component " + component;
        List<String> problems = new ArrayList<>();
        Map<BlobId, String> damagedTree = new Verifier(repository).check(tree, depth);
        if (!damagedTree.isEmpty()) {
            damagedTree.forEach((id, why) -> problems.add(where + ": file list (tree blob " + id.shortHex() + ") " + why));
            return problems;
        }
        Map<BlobId, String> damaged;
        try {
            // Walked again, not collected: the chunk ids of a million files would not fit in a small heap.
            boolean[] shapeChecked = {shape == null};
            damaged = new Verifier(repository).check(() -> {
                java.util.Iterator<BlobId> chunks = chunksOf(repository, tree, shapeChecked[0] ? null : shape);
                shapeChecked[0] = true;
                return chunks;
            }, depth);
        } catch (CorruptDataException e) {
            problems.add(where + ": file list unreadable: " + e.getMessage());
            return problems;
        }
        if (damaged.isEmpty()) {
            return problems;
        }
        for (TreeReader r = new TreeReader(repository, tree); r.hasNext(); ) {
            TreeEntry e = r.next();
            if (e.chunks() == null) {
                continue;
            }
            for (String c : e.chunks()) {
                String why = damaged.get(BlobId.parse(c));
                if (why != null) {
                    problems.add(where + ", file " + e.displayPath() + ": chunk " + c.substring(0, 12) + " " + why);
                    break;
                }
            }
        }
        return problems;
    }

    /** Every chunk id of the tree's files in tree order, read as the iteration goes; each entry passes {@code shape} when given. */
    private static java.util.Iterator<BlobId> chunksOf(Repository repository, List<BlobId> tree, TreeShape shape) {
        TreeReader reader = new TreeReader(repository, tree);
        return new java.util.Iterator<>() {
            private java.util.Iterator<String> file = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!file.hasNext() && reader.hasNext()) {
                    TreeEntry e = reader.next();
                    if (shape != null) {
                        shape.accept(e);
                    }
                    if (e.chunks() != null) {
                        file = e.chunks().iterator();
                    }
                }
                return file.hasNext();
            }

            @Override
            public BlobId next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return BlobId.parse(file.next());
            }
        };
    }
}
