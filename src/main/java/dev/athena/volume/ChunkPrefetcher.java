package dev.athena.volume;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.athena.concurrent.Parallel;
import dev.athena.repository.BlobId;
import dev.athena.repository.Repository;

/**
 * Loads chunks on worker threads ahead of the writer, in the order the writer will ask for them,
 * keeping at most {@code window} loads in flight (bounded memory, both cores busy).
 */
final class ChunkPrefetcher implements AutoCloseable {
    private final Repository repository;
    private final ExecutorService workers;
    private final Deque<BlobId> planned = new ArrayDeque<>();
    private final Deque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
    private final int window;

    ChunkPrefetcher(Repository repository, int threads, int window) {
        this.repository = repository;
        this.window = window;
        this.workers = Executors.newFixedThreadPool(threads, Parallel.daemons("athena-restore"));
    }

    /** Announces a chunk the writer will ask for after all those announced before. */
    void plan(BlobId id) {
        planned.addLast(id);
        topUp();
    }

    int plannedCount() {
        return planned.size() + inFlight.size();
    }

    private void topUp() {
        while (inFlight.size() < window && !planned.isEmpty()) {
            BlobId id = planned.removeFirst();
            inFlight.addLast(CompletableFuture.supplyAsync(() -> repository.load(id), workers));
        }
    }

    /** The next planned chunk's plaintext, checked against its hash. */
    byte[] next() {
        topUp();
        CompletableFuture<byte[]> f = inFlight.removeFirst();
        topUp();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
