package dev.athena.volume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.athena.repository.BlobId;
import dev.athena.repository.BlobType;
import dev.athena.repository.Chunker;
import dev.athena.repository.Repository;

/**
 * A tree of files that exist only in memory (a ConfigMap's keys, say), stored in the same format
 * as a volume, so verify, prune and the restore checks treat every component alike.
 */
public final class VirtualTree {
    private VirtualTree() {
    }

    public static List<BlobId> write(Repository repository, Map<String, byte[]> files, long mtimeNs) {
        TreeWriter tree = new TreeWriter(repository);
        tree.add(TreeEntry.create(new byte[0], TreeEntry.DIR, 0755, 0, 0, mtimeNs, null, null, null, null, null, null, null));
        Map<String, byte[]> sorted = new TreeMap<>((a, b) -> FileNames.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        sorted.putAll(files);
        sorted.forEach((name, data) -> {
            List<String> chunks = new ArrayList<>();
            for (int off = 0; off < data.length; ) {
                int len = Chunker.cutPoint(data, off, data.length - off);
                chunks.add(repository.save(BlobType.DATA, data, off, len).hex());
                off += len;
            }
            tree.add(TreeEntry.create(name.getBytes(StandardCharsets.UTF_8), TreeEntry.FILE, 0644, 0, 0, mtimeNs, (long) data.length,
                    null, null, null, 1, chunks, null));
        });
        return tree.finish();
    }

    public static Map<String, byte[]> read(Repository repository, List<BlobId> tree) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (TreeReader r = new TreeReader(repository, tree); r.hasNext(); ) {
            TreeEntry e = r.next();
            if (!e.isFile()) {
                continue;
            }
            byte[] data = new byte[Math.toIntExact(e.size())];
            int pos = 0;
            for (String c : e.chunks()) {
                byte[] chunk = repository.load(BlobId.parse(c));
                System.arraycopy(chunk, 0, data, pos, chunk.length);
                pos += chunk.length;
            }
            out.put(e.path() != null ? e.path() : new String(e.pathBytes(), StandardCharsets.UTF_8), pos == data.length ? data : Arrays.copyOf(data, pos));
        }
        return out;
    }
}
