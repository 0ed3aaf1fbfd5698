package dev.athena.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local copy of each whole object read through it, in a private folder, so that a
 * restore from a remote store downloads every pack once: the pre-restore check reads each pack
 * whole to check its hash, and the restore then reads its blobs by range from the copy (the very
 * bytes that were checked). Only objects that never change may be kept: {@code cacheable} says
 * which keys (packs, named by their hash). A copy is made only while the folder's file system
 * keeps {@code reserveBytes} free, since a restore stages files there too; past that, reads go
 * to the store as they would without the cache. Closing deletes the folder.
 */
public final class DownloadCache extends ForwardingStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DownloadCache.class);
    private final Path dir;
    private final Predicate<String> cacheable;
    private final long reserveBytes;
    private final Map<String, Path> copies = new ConcurrentHashMap<>();
    private final AtomicLong names = new AtomicLong();
    private final AtomicLong keptBytes = new AtomicLong();
    private final AtomicLong localReads = new AtomicLong();

    public DownloadCache(ObjectStore inner, Path parent, Predicate<String> cacheable, long reserveBytes) throws IOException {
        super(inner);
        this.dir = Files.createTempDirectory(Files.createDirectories(parent), "athena-download-cache-");
        this.cacheable = cacheable;
        this.reserveBytes = reserveBytes;
    }

    /** The reserve to keep free beside the copies: a tenth of the file system, at least 1 GiB. */
    public static long defaultReserve(Path parent) throws IOException {
        FileStore fs = Files.getFileStore(Files.createDirectories(parent));
        return Math.max(1L << 30, fs.getTotalSpace() / 10);
    }

    @Override
    public byte[] get(String key) {
        Path copy = copies.get(key);
        if (copy != null) {
            try {
                byte[] data = Files.readAllBytes(copy);
                localReads.incrementAndGet();
                return data;
            } catch (IOException e) {
                copies.remove(key);
            }
        }
        byte[] data = inner.get(key);
        if (cacheable.test(key)) {
            keep(key, data);
        }
        return data;
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        Path copy = copies.get(key);
        if (copy == null) {
            return inner.getRange(key, offset, length);
        }
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.READ)) {
            int n = (int) Math.max(0, Math.min(length, ch.size() - offset));
            ByteBuffer buf = ByteBuffer.allocate(n);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
            localReads.incrementAndGet();
            return buf.array();
        } catch (IOException e) {
            copies.remove(key);
            return inner.getRange(key, offset, length);
        }
    }

    @Override
    public InputStream open(String key) {
        Path copy = copies.get(key);
        if (copy != null) {
            try {
                return Files.newInputStream(copy);
            } catch (IOException e) {
                copies.remove(key);
            }
        }
        InputStream in = inner.open(key);
        if (!cacheable.test(key)) {
            return in;
        }
        try {
            // A pack's length is not known before it streams in: room for the largest the format allows is kept.
            if (Files.getFileStore(dir).getUsableSpace() - (64L << 20) < reserveBytes) {
                return in;
            }
            Path temp = dir.resolve(names.incrementAndGet() + ".part");
            return new Copying(in, key, temp, java.nio.channels.Channels.newOutputStream(
                    FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)));
        } catch (IOException e) {
            log.debug("no local copy of {}: {}", key, e.getMessage());
            return in;
        }
    }

    /**
     * A stream that keeps what passes through it, as {@link #get} does for a whole read: a pack
     * checked by streaming it (the pre-restore check hashes it as it comes, holding no whole pack)
     * is then read by the restore from the copy. The copy counts only once the stream was read to
     * its end; a stream closed early, or a copy that cannot be written, leaves no copy behind.
     */
    private final class Copying extends java.io.FilterInputStream {
        private final String key;
        private final Path temp;
        private java.io.OutputStream out;
        private long bytes;
        private boolean ended;

        Copying(InputStream in, String key, Path temp, java.io.OutputStream out) {
            super(in);
            this.key = key;
            this.temp = temp;
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                ended = true;
            } else if (out != null) {
                try {
                    out.write(b, off, n);
                    bytes += n;
                } catch (IOException e) {
                    abandon(e);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            abandon(null); // skipped bytes would be missing from the copy
            return super.skip(n);
        }

        private void abandon(IOException why) {
            if (out == null) {
                return;
            }
            try {
                out.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.debug("cannot remove {}: {}", temp, e.getMessage());
            }
            out = null;
            if (why != null) {
                log.debug("no local copy of {}: {}", key, why.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (out != null && ended) {
                    try {
                        out.close();
                        out = null;
                        adopt(key, temp, bytes);
                    } catch (IOException e) {
                        abandon(e);
                    }
                } else {
                    abandon(null);
                }
            }
        }
    }

    @Override
    public void delete(String key) {
        Path copy = copies.remove(key);
        if (copy != null) {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        inner.delete(key);
    }

    private void keep(String key, byte[] data) {
        if (copies.containsKey(key)) {
            return;
        }
        try {
            if (Files.getFileStore(dir).getUsableSpace() - data.length < reserveBytes) {
                return;
            }
            Path temp = dir.resolve(names.incrementAndGet() + ".part");
            Files.write(temp, data);
            adopt(key, temp, data.length);
        } catch (IOException e) {
            log.debug("no local copy of {}: {}", key, e.getMessage());
        }
    }

    /** Makes the finished {@code temp} the copy of {@code key}, unless another thread kept one first. */
    private void adopt(String key, Path temp, long bytes) throws IOException {
        Path file = dir.resolve(Long.toString(names.incrementAndGet()));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        if (copies.putIfAbsent(key, file) == null) {
            keptBytes.addAndGet(bytes);
        } else {
            Files.delete(file);
        }
    }

    /** Bytes of the copies kept so far. */
    public long keptBytes() {
        return keptBytes.get();
    }

    /** Reads served from a local copy instead of the store. */
    public long localReads() {
        return localReads.get();
    }

    @Override
    public void close() {
        copies.clear();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot remove the download cache {}: {}", dir, e.getMessage());
        }
    }
}
