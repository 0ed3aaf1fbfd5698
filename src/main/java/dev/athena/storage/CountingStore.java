package dev.athena.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests a store receives, by kind, and the bytes that cross to and from it: what a
 * run costs on a store that bills per request and per byte. It sits next to the real store,
 * below the retries and the read-back checks, so every attempt is counted. A listing counts one
 * request per 1,000 names it returns (S3 answers in pages of that size).
 */
public final class CountingStore extends ForwardingStore {
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong heads = new AtomicLong();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();

    public CountingStore(ObjectStore inner) {
        super(inner);
    }

    /** Requests of each kind and bytes each way, as counted at one moment; {@link #minus} gives a run's share. */
    public record Requests(long put, long get, long head, long list, long delete, long bytesUp, long bytesDown) {
        public static final Requests NONE = new Requests(0, 0, 0, 0, 0, 0, 0);

        public Requests minus(Requests earlier) {
            return new Requests(put - earlier.put, get - earlier.get, head - earlier.head, list - earlier.list, delete - earlier.delete,
                    bytesUp - earlier.bytesUp, bytesDown - earlier.bytesDown);
        }

        public long total() {
            return put + get + head + list + delete;
        }

        @Override
        public String toString() {
            return total() + " requests (" + put + " PUT, " + get + " GET, " + head + " HEAD, " + list + " LIST, " + delete + " DELETE), "
                    + bytesUp + " bytes sent, " + bytesDown + " bytes received";
        }
    }

    public Requests counts() {
        return new Requests(puts.get(), gets.get(), heads.get(), lists.get(), deletes.get(), bytesUp.get(), bytesDown.get());
    }

    /** The counting store in a chain of decorators ({@link ForwardingStore}), or null when there is none. */
    public static CountingStore in(ObjectStore store) {
        for (ObjectStore s = store; s instanceof ForwardingStore f; s = f.inner) {
            if (f instanceof CountingStore c) {
                return c;
            }
        }
        return null;
    }

    /** The counts of the counting store in {@code store}'s chain; {@link Requests#NONE} when it has none. */
    public static Requests countsOf(ObjectStore store) {
        CountingStore c = in(store);
        return c == null ? Requests.NONE : c.counts();
    }

    @Override
    public void put(String key, byte[] data) {
        put(key, data, data.length);
    }

    @Override
    public void put(String key, byte[] data, int length) {
        puts.incrementAndGet();
        bytesUp.addAndGet(length);
        inner.put(key, data, length);
    }

    @Override
    public byte[] get(String key) {
        gets.incrementAndGet();
        byte[] data = inner.get(key);
        bytesDown.addAndGet(data.length);
        return data;
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        gets.incrementAndGet();
        byte[] data = inner.getRange(key, offset, length);
        bytesDown.addAndGet(data.length);
        return data;
    }

    @Override
    public InputStream open(String key) {
        gets.incrementAndGet();
        return new FilterInputStream(inner.open(key)) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesDown.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    bytesDown.addAndGet(n);
                }
                return n;
            }
        };
    }

    @Override
    public boolean exists(String key) {
        heads.incrementAndGet();
        return inner.exists(key);
    }

    @Override
    public long size(String key) {
        heads.incrementAndGet();
        return inner.size(key);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        List<StoredObject> out = inner.list(prefix);
        lists.addAndGet(pages(out.size()));
        return out;
    }

    @Override
    public List<String> listFolders(String prefix) {
        List<String> out = inner.listFolders(prefix);
        lists.addAndGet(pages(out.size()));
        return out;
    }

    private static long pages(int names) {
        return Math.max(1, (names + 999) / 1000);
    }

    @Override
    public void delete(String key) {
        deletes.incrementAndGet();
        inner.delete(key);
    }
}
