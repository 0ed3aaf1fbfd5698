package dev.athena.repository;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes, compresses, encrypts and packs blobs on worker threads while the caller goes on reading.
 * At most {@code maxInFlightBytes} wait at once, which bounds memory whatever the input.
 */
public final class BlobPipeline implements AutoCloseable {
    private final Repository repository;
    private final ExecutorService workers;
    private final Semaphore budget;
    private final int budgetKiB;

    public BlobPipeline(Repository repository, int threads, int maxInFlightBytes) {
        this.repository = repository;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "athena-blob-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.budgetKiB = Math.max(1, maxInFlightBytes / 1024);
        this.budget = new Semaphore(budgetKiB);
    }

    public static BlobPipeline standard(Repository repository) {
        return new BlobPipeline(repository, Math.max(2, Runtime.getRuntime().availableProcessors()), 32 * 1024 * 1024);
    }

    /** Saves {@code data}, which the pipeline now owns; blocks while too much is in flight. */
    public CompletableFuture<BlobId> save(BlobType type, byte[] data) {
        int permits = Math.min(budgetKiB, data.length / 1024 + 1);
        budget.acquireUninterruptibly(permits);
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return repository.save(type, data);
                } finally {
                    budget.release(permits);
                }
            }, workers);
        } catch (RuntimeException e) {
            budget.release(permits);
            throw e;
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
