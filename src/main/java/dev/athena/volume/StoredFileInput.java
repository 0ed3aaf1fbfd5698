package dev.athena.volume;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.repository.BlobId;
import dev.athena.repository.Repository;

/**
 * One stored file read back as a stream, its chunks loaded (and checked against their hashes)
 * on worker threads ahead of the reader: a restore can feed a file straight to its consumer, a
 * database's COPY for instance, without staging it on disk first.
 */
final class StoredFileInput extends InputStream {
    private final ChunkPrefetcher fetcher;
    private final TreeEntry entry;
    private final ProgressMeter meter;
    private int remainingChunks;
    private long delivered;
    private byte[] current = new byte[0];
    private int pos;

    StoredFileInput(Repository repository, TreeEntry entry) {
        List<String> chunks = entry.chunks() == null ? List.of() : entry.chunks();
        this.entry = entry;
        this.meter = repository.progress();
        this.fetcher = new ChunkPrefetcher(repository, 2, 4);
        chunks.forEach(c -> fetcher.plan(BlobId.parse(c)));
        this.remainingChunks = chunks.size();
    }

    private boolean fill() throws IOException {
        while (pos == current.length) {
            if (remainingChunks == 0) {
                if (entry.size() != null && delivered != entry.size()) {
                    throw new IOException("file " + entry.displayPath() + " holds " + delivered + " bytes, the backup says " + entry.size());
                }
                return false;
            }
            current = fetcher.next();
            remainingChunks--;
            delivered += current.length;
            meter.addBytes(current.length);
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        fetcher.close();
    }
}
