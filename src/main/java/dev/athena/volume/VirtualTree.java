package dev.athena.volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import dev.athena.repository.BlobId;
import dev.athena.repository.BlobPipeline;
import dev.athena.repository.BlobType;
import dev.athena.repository.Chunker;
import dev.athena.repository.Repository;

/**
 * A tree of files that exist only as bytes or streams (a ConfigMap's keys, a pg_dump streamed
 * straight from the database), stored in the same format as a volume, so verify, prune and the
 * restore checks treat every component alike. Files sit in the tree's root folder.
 *
 * <p>Several streams may be stored at once from different threads (a database's tables dumped in
 * parallel); they share the repository's pipeline of hashing and packing workers.
 */
public final class VirtualTree {
    private final Repository repository;
    private final long mtimeNs;
    private final Map<String, TreeEntry> files = new TreeMap<>(
            (a, b) -> FileNames.compare(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));

    public VirtualTree(Repository repository, long mtimeNs) {
        this.repository = repository;
        this.mtimeNs = mtimeNs;
    }

    public static List<BlobId> write(Repository repository, Map<String, byte[]> files, long mtimeNs) {
        VirtualTree tree = new VirtualTree(repository, mtimeNs);
        files.forEach(tree::file);
        return tree.finish();
    }

    private static void checkName(String name) {
        FileNames.checkName(name.getBytes(StandardCharsets.UTF_8), "a virtual tree");
    }

    public void file(String name, byte[] data) {
        checkName(name);
        List<String> chunks = new ArrayList<>();
        for (int off = 0; off < data.length; ) {
            int len = Chunker.cutPoint(data, off, data.length - off);
            chunks.add(repository.save(BlobType.DATA, data, off, len).hex());
            off += len;
        }
        repository.progress().addBytes(data.length);
        put(name, entry(name, data.length, chunks));
    }

    /** A file of an earlier tree, kept as it was: its chunks are referenced again, not read or stored. */
    public void reuse(TreeEntry file) {
        checkName(file.path());
        put(file.path(), TreeEntry.create(file.path().getBytes(StandardCharsets.UTF_8), TreeEntry.FILE, 0644, 0, 0, mtimeNs, file.size(), null, null,
                null, 1, file.chunks(), null));
    }

    private synchronized void put(String name, TreeEntry entry) {
        if (files.putIfAbsent(name, entry) != null) {
            throw new IllegalArgumentException("a virtual tree cannot hold two files named " + name);
        }
    }

    /** How a stream is cut into blobs: content-defined chunks ({@link Chunker}) unless the file's layout suggests better. */
    public interface Splitter {
        long split(InputStream in, Chunker.Sink sink) throws IOException;
    }

    /** Stores a stream as a file, chunked and packed on worker threads while it is still being read. */
    public long file(String name, InputStream in) throws IOException {
        return file(name, in, new Chunker()::split);
    }

    /** As {@link #file(String, InputStream)}, cut by {@code splitter}. */
    public long file(String name, InputStream in, Splitter splitter) throws IOException {
        checkName(name);
        BlobPipeline pipeline = repository.pipeline();
        List<CompletableFuture<BlobId>> futures = new ArrayList<>();
        long size = splitter.split(in, (buf, off, len) -> {
            futures.add(pipeline.saveCopy(BlobType.DATA, buf, off, len));
            repository.progress().addBytes(len);
        });
        List<String> chunks = new ArrayList<>(futures.size());
        for (CompletableFuture<BlobId> f : futures) {
            chunks.add(f.join().hex());
        }
        put(name, entry(name, size, chunks));
        return size;
    }

    private TreeEntry entry(String name, long size, List<String> chunks) {
        return TreeEntry.create(name.getBytes(StandardCharsets.UTF_8), TreeEntry.FILE, 0644, 0, 0, mtimeNs, size, null, null, null, 1, chunks, null);
    }

    public synchronized List<BlobId> finish() {
        TreeWriter tree = new TreeWriter(repository);
        tree.add(TreeEntry.create(new byte[0], TreeEntry.DIR, 0755, 0, 0, mtimeNs, null, null, null, null, null, null, null));
        files.values().forEach(tree::add);
        return tree.finish();
    }

    /** The tree's files by name, to be opened with {@link #open} one by one. */
    public static Map<String, TreeEntry> files(Repository repository, List<BlobId> tree) {
        Map<String, TreeEntry> out = new LinkedHashMap<>();
        for (TreeReader r = new TreeReader(repository, tree); r.hasNext(); ) {
            TreeEntry e = r.next();
            if (e.isFile()) {
                out.put(e.path() != null ? e.path() : new String(e.pathBytes(), StandardCharsets.UTF_8), e);
            }
        }
        return out;
    }

    /** A stored file's content as a stream, each chunk checked against its hash as it is read. */
    public static InputStream open(Repository repository, TreeEntry file) {
        return new StoredFileInput(repository, file);
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
