package dev.athena.volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.repository.BlobId;
import dev.athena.repository.BlobPipeline;
import dev.athena.repository.BlobType;
import dev.athena.repository.Chunker;
import dev.athena.repository.Repository;

/**
 * Snapshots a folder into the repository: a depth-first walk with children in byte order, so the
 * previous snapshot's tree can be read alongside and unchanged files (same size, mtime, ctime and
 * inode) reuse its chunks without being read. A live folder may change under the walk: files that
 * vanish, appear or change are recorded as seen, with a warning, and never fail the backup.
 */
public final class VolumeBackup {
    static final int MAX_WARNINGS = 1000;
    private static final int MAX_QUEUED_ENTRIES = 4096;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    public record Result(List<BlobId> tree, Map<String, Long> stats, List<String> warnings) {
    }

    /** A tree entry whose chunk ids are still being computed by the pipeline. */
    private record Pending(TreeEntry entry, List<CompletableFuture<BlobId>> chunks) {
        boolean ready() {
            return chunks == null || chunks.stream().allMatch(CompletableFuture::isDone);
        }
    }

    private final Repository repository;
    /** Files and bytes as they are covered (read, or found unchanged), for the job's progress. */
    private final ProgressMeter meter;
    private final Chunker chunker = new Chunker();
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Map<String, Pending> hardLinks = new HashMap<>();
    private final Map<String, Long> stats = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private BlobPipeline pipeline;
    private TreeWriter tree;
    private TreeReader parent;

    public VolumeBackup(Repository repository) {
        this.repository = repository;
        this.meter = repository.progress();
        for (String s : List.of("dirs", "files", "symlinks", "hardlinks", "bytes", "bytesRead", "filesUnchanged", "skipped")) {
            stats.put(s, 0L);
        }
    }

    /** Backs up {@code root}; {@code parentTree} is the previous snapshot's tree, or null. */
    public Result run(Path root, List<BlobId> parentTree) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(root + " is not a folder (or does not exist)");
        }
        tree = new TreeWriter(repository);
        parent = parentTree == null ? null : new TreeReader(repository, parentTree);
        pipeline = repository.pipeline();
        walkDir(root, new byte[0], FileStat.of(root));
        while (!queue.isEmpty()) {
            writeHead();
        }
        // A volume that disappeared while it was read (unmounted, its claim deleted) was not backed up: its copy would be
        // whatever part was read before, reported as a success.
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(root.toString(), null, "the volume folder vanished during the backup (unmounted?); nothing of it"
                    + " was kept");
        }
        List<BlobId> treeIds = tree.finish();
        stats.put("warnings", (long) warningCount);
        return new Result(treeIds, stats, List.copyOf(warnings));
    }

    private int warningCount;

    private void warn(String message) {
        warningCount++;
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(message);
        }
    }

    private void walkDir(Path dir, byte[] rel, FileStat attrs) throws IOException {
        enqueue(new Pending(TreeEntry.create(rel, TreeEntry.DIR, attrs.mode() & 07777, attrs.uid(), attrs.gid(),
                attrs.mtimeNs(), null, null, null, null, null, null, null), null));
        bump("dirs", 1);
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            warn("folder vanished during the backup: " + display(rel));
            return;
        } catch (AccessDeniedException e) {
            warn("cannot list folder (permission denied), stored empty: " + display(rel));
            return;
        }
        byte[][] names = new byte[children.size()][];
        for (int k = 0; k < names.length; k++) {
            names[k] = FileNames.name(children.get(k));
        }
        for (int k : FileNames.sortedOrder(names)) {
            Path child = children.get(k);
            byte[] childRel = FileNames.join(rel, names[k]);
            FileStat a;
            try {
                a = FileStat.of(child);
            } catch (NoSuchFileException e) {
                warn("vanished during the backup: " + display(childRel));
                continue;
            }
            int type = a.mode() & S_IFMT;
            if (type == S_IFDIR) {
                walkDir(child, childRel, a);
            } else if (type == S_IFREG) {
                file(child, childRel, a);
            } else if (type == S_IFLNK) {
                symlink(child, childRel, a);
            } else {
                bump("skipped", 1);
                warn("skipped " + kind(type) + ": " + display(childRel));
            }
        }
    }

    private static String kind(int type) {
        return switch (type) {
            case 0010000 -> "fifo";
            case 0140000 -> "socket";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            default -> "special file";
        };
    }

    private void symlink(Path link, byte[] rel, FileStat a) throws IOException {
        byte[] target;
        try {
            target = FileNames.bytes(Files.readSymbolicLink(link));
        } catch (NoSuchFileException | java.nio.file.NotLinkException e) {
            warn("vanished during the backup: " + display(rel));
            return;
        }
        bump("symlinks", 1);
        enqueue(new Pending(TreeEntry.create(rel, TreeEntry.SYMLINK, a.mode() & 07777, a.uid(), a.gid(),
                a.mtimeNs(), null, null, null, null, null, null, target), null));
    }

    private void file(Path file, byte[] rel, FileStat a) throws IOException {
        long size = a.size();
        long inode = a.ino();
        long device = a.dev();
        long ctime = a.ctimeNs();
        long mtime = a.mtimeNs();
        int nlink = a.nlink();
        TreeEntry base = TreeEntry.create(rel, TreeEntry.FILE, a.mode() & 07777, a.uid(), a.gid(), mtime,
                size, inode, device, ctime, nlink, null, null);
        bump("files", 1);
        String linkKey = nlink > 1 ? device + ":" + inode : null;
        if (linkKey != null && hardLinks.containsKey(linkKey)) {
            Pending first = hardLinks.get(linkKey);
            bump("hardlinks", 1);
            bump("bytes", first.entry().size());
            enqueue(new Pending(base.withChunks(first.entry().chunks()), first.chunks()));
            return;
        }
        Pending pending;
        TreeEntry previous = previousEntry(rel);
        if (previous != null && previous.isFile() && previous.size() == size && previous.mtimeNs() == mtime
                && previous.ctimeNs() != null && previous.ctimeNs() == ctime && previous.inode() != null
                && previous.inode() == inode && allStored(previous.chunks())) {
            bump("filesUnchanged", 1);
            bump("bytes", size);
            pending = new Pending(base.withChunks(previous.chunks()), null);
        } else {
            pending = read(file, rel, base, a);
            if (pending == null) {
                return;
            }
        }
        if (linkKey != null) {
            hardLinks.put(linkKey, pending);
        }
        enqueue(pending);
    }

    private boolean allStored(List<String> chunks) {
        for (String c : chunks) {
            if (!repository.has(BlobId.parse(c))) {
                return false;
            }
        }
        return true;
    }

    /** The previous snapshot's entry at this path, advancing the parent reader in walk order. */
    private TreeEntry previousEntry(byte[] rel) {
        if (parent == null) {
            return null;
        }
        while (parent.hasNext()) {
            int c = FileNames.compare(parent.peek().pathBytes(), rel);
            if (c > 0) {
                return null;
            }
            TreeEntry e = parent.next();
            if (c == 0) {
                return e;
            }
        }
        return null;
    }

    private Pending read(Path file, byte[] rel, TreeEntry base, FileStat before) throws IOException {
        List<CompletableFuture<BlobId>> chunks = new ArrayList<>();
        long read;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (base.size() < Chunker.MIN_SIZE) {
                // Small files are one chunk: read them whole and skip the chunker.
                byte[] data = new byte[base.size().intValue()];
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // keep reading until the file ends
                }
                boolean grew = ch.read(ByteBuffer.allocate(1)) > 0;
                if (!grew) {
                    read = buf.position();
                    meter.addBytes(read);
                    if (read > 0) {
                        chunks.add(pipeline.save(BlobType.DATA, read == data.length ? data : Arrays.copyOf(data, (int) read)));
                    }
                } else {
                    read = chunkStream(Channels.newInputStream(ch.position(0)), chunks);
                }
            } else {
                read = chunkStream(Channels.newInputStream(ch), chunks);
            }
        } catch (NoSuchFileException e) {
            warn("vanished during the backup: " + display(rel));
            bump("files", -1);
            return null;
        } catch (AccessDeniedException e) {
            warn("cannot read file (permission denied), skipped: " + display(rel));
            bump("files", -1);
            bump("skipped", 1);
            return null;
        }
        // The meter has had these bytes chunk by chunk, so a large file moves the progress while it is read.
        stats.merge("bytes", read, Long::sum);
        bump("bytesRead", read);
        FileStat after;
        try {
            after = FileStat.of(file);
        } catch (NoSuchFileException e) {
            after = null;
        }
        if (after == null || after.size() != before.size() || read != base.size()
                || after.mtimeNs() != before.mtimeNs() || after.ctimeNs() != before.ctimeNs()) {
            warn("changed while being read, stored as read (" + read + " bytes): " + display(rel));
        }
        TreeEntry entry = new TreeEntry(base.path(), base.pathRaw(), base.type(), base.mode(), base.uid(), base.gid(), base.mtimeNs(),
                read, base.inode(), base.device(), base.ctimeNs(), base.nlink(), null, null, null);
        return new Pending(entry, chunks);
    }

    private long chunkStream(InputStream in, List<CompletableFuture<BlobId>> chunks) throws IOException {
        return chunker.split(in, (buf, off, len) -> {
            chunks.add(pipeline.saveCopy(BlobType.DATA, buf, off, len));
            meter.addBytes(len);
        });
    }

    private void enqueue(Pending p) throws IOException {
        queue.addLast(p);
        while (!queue.isEmpty() && (queue.peekFirst().ready() || queue.size() > MAX_QUEUED_ENTRIES)) {
            writeHead();
        }
    }

    private void writeHead() throws IOException {
        Pending p = queue.removeFirst();
        TreeEntry e = p.entry();
        if (p.chunks() != null) {
            List<String> ids = new ArrayList<>(p.chunks().size());
            for (CompletableFuture<BlobId> f : p.chunks()) {
                try {
                    ids.add(f.get().hex());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                } catch (ExecutionException ee) {
                    throw new IOException("cannot store " + e.displayPath() + ": " + ee.getCause().getMessage(), ee.getCause());
                }
            }
            e = e.withChunks(ids);
        }
        tree.add(e);
    }

    private void bump(String stat, long by) {
        stats.merge(stat, by, Long::sum);
        if (stat.equals("files")) {
            meter.addFiles(by);
        } else if (stat.equals("bytes")) {
            meter.addBytes(by);
        }
    }

    private static String display(byte[] rel) {
        return rel.length == 0 ? "/" : FileNames.display(rel);
    }
}
