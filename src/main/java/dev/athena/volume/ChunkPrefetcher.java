package dev.athena.volume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.athena.concurrent.Parallel;
import dev.athena.repository.BlobId;
import dev.athena.repository.BlobLocation;
import dev.athena.repository.Repository;

/**
 * Loads chunks on worker threads ahead of the writer, in the order the writer will ask for them,
 * keeping at most {@code window} loads in flight (bounded memory, both cores busy). Chunks that lie
 * close together in one pack (a small-file volume's, written in nearly tree order) are loaded as
 * one run: one ranged read and one hand-over between threads for up to {@link #RUN_BLOBS} of them,
 * instead of one each.
 */
final class ChunkPrefetcher implements AutoCloseable {
    /** At most this many chunks in a run... */
    static final int RUN_BLOBS = 256;
    /** ...and at most this many bytes of plaintext, so a window of runs holds no more than a window of large chunks. */
    static final int RUN_BYTES = 1 << 20;
    /** ...and one read of at most this many bytes of the pack. */
    static final int RUN_SPAN = 1 << 20;

    private record Planned(BlobId id, BlobLocation location) {
    }

    private final Repository repository;
    private final ExecutorService workers;
    private final Deque<Planned> planned = new ArrayDeque<>();
    private final Deque<CompletableFuture<Object[]>> inFlight = new ArrayDeque<>();
    private final int window;
    private Object[] run = new Object[0];
    private int next;
    /** Set by {@link #runLength}: whether the run it measured can grow no longer. */
    private boolean runWhole;

    ChunkPrefetcher(Repository repository, int threads, int window) {
        this.repository = repository;
        this.window = window;
        this.workers = Executors.newFixedThreadPool(threads, Parallel.daemons("athena-chunks"));
    }

    /**
     * Announces a chunk the writer will ask for after all those announced before. Loading starts
     * when the writer asks for its first chunk, so that what it planned meanwhile forms runs.
     */
    void plan(BlobId id) {
        planned.addLast(new Planned(id, repository.locate(id)));
    }

    /** Chunks announced and not yet being loaded: the writer plans more while this is small. */
    int plannedCount() {
        return planned.size();
    }

    /**
     * Starts loading runs while fewer than {@code window} are in flight: each run as soon as it is
     * whole (as long as it may be, or followed by a chunk that does not continue it), and a shorter
     * one only when nothing is in flight and the writer waits.
     */
    private void topUp(boolean writerWaits) {
        while (inFlight.size() < window && !planned.isEmpty()) {
            int length = runLength();
            if (!runWhole && !(writerWaits && inFlight.isEmpty())) {
                return;
            }
            List<Planned> r = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                r.add(planned.removeFirst());
            }
            inFlight.addLast(CompletableFuture.supplyAsync(() -> load(r), workers));
        }
    }

    /**
     * How many planned chunks the next run takes: the first and those after it in the same pack
     * whose bytes lie close together. A backup's workers append a folder's chunks to a pack nearly
     * in tree order, not exactly, so a run is a span of the pack, read whole, in which its chunks
     * (in any order) fill at least half, within the run's limits: a chunk far away in the pack, as a
     * deduplicated one can be, ends the run rather than having the bytes between read. A chunk in
     * no index is a run of its own, so that {@link Repository#load} reports it when the writer
     * reaches it. Sets {@link #runWhole}.
     */
    private int runLength() {
        java.util.Iterator<Planned> it = planned.iterator();
        BlobLocation first = it.next().location();
        runWhole = true;
        if (first == null) {
            return 1;
        }
        int length = 1;
        long start = first.offset();
        long end = first.offset() + first.length();
        long sealed = first.length();
        long bytes = first.rawLength();
        while (length < RUN_BLOBS) {
            if (!it.hasNext()) {
                runWhole = false;
                return length;
            }
            BlobLocation l = it.next().location();
            if (l == null || !l.pack().equals(first.pack()) || bytes + l.rawLength() > RUN_BYTES) {
                return length;
            }
            long newStart = Math.min(start, l.offset());
            long newEnd = Math.max(end, l.offset() + l.length());
            if (newEnd - newStart > RUN_SPAN || newEnd - newStart > 2 * (sealed + l.length())) {
                return length;
            }
            length++;
            start = newStart;
            end = newEnd;
            sealed += l.length();
            bytes += l.rawLength();
        }
        return length;
    }

    private Object[] load(List<Planned> r) {
        if (r.get(0).location() == null) {
            try {
                return new Object[] {repository.load(r.get(0).id())}; // reports the chunk in no index, unless it is indexed now
            } catch (RuntimeException e) {
                return new Object[] {e};
            }
        }
        return repository.loadRun(r.stream().map(Planned::id).toList(), r.stream().map(Planned::location).toList());
    }

    /** The next planned chunk's plaintext, checked against its hash. */
    byte[] next() {
        if (next == run.length) {
            topUp(true);
            CompletableFuture<Object[]> f = inFlight.removeFirst();
            topUp(false);
            try {
                run = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
            next = 0;
        }
        Object chunk = run[next];
        run[next++] = null;
        if (chunk instanceof RuntimeException e) {
            throw e;
        }
        return (byte[]) chunk;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
