package dev.athena.repository;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.athena.concurrent.Parallel;

/**
 * Uploads full packs on threads of their own, so the threads that chunk, hash and compress go on
 * while a pack crosses the network (on S3 a 16 MiB upload takes longer than filling the next
 * pack). Each pack waiting or uploading holds its whole buffer, so at most as many are in flight
 * as a third of the heap holds (and no more than asked for); with none, the thread that filled a
 * pack uploads it. The first failed upload fails the next pack handed in and {@link #await()}, so
 * a backup never goes on to write its manifest over a missing pack.
 */
final class PackUploader {
    private final int threads;
    private final Semaphore slots;
    private final ThreadPoolExecutor executor;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    PackUploader(int wanted, long packBytes) {
        this(wanted, Runtime.getRuntime().maxMemory(), packBytes);
    }

    PackUploader(int wanted, long maxHeap, long packBytes) {
        this.threads = affordable(wanted, maxHeap, packBytes);
        this.slots = new Semaphore(Math.max(1, threads));
        // A queue, not a hand-off: a slot is free again a moment before its thread is, and the next pack must not be refused then.
        this.executor = threads == 0 ? null : new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Parallel.daemons("athena-upload"));
        if (executor != null) {
            executor.allowCoreThreadTimeOut(true);
        }
    }

    /** Packs of at most {@code packBytes} that may be in flight beside the one being filled. */
    static int affordable(int wanted, long maxHeap, long packBytes) {
        return Math.max(0, Math.min(wanted, PackWriter.fitInHeap(maxHeap, packBytes) - 1));
    }

    /**
     * Takes a slot for the next full pack; blocks while every slot is taken. Called before the
     * pack is swapped out, under the repository's pack lock, so the other workers wait too
     * instead of filling yet another pack that would have to wait in memory.
     */
    void reserve() {
        check();
        if (executor != null) {
            slots.acquireUninterruptibly();
        }
    }

    /** Uploads with {@code upload} in the slot {@link #reserve()} took. */
    void submit(Runnable upload) {
        if (executor == null) {
            upload.run();
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    upload.run();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } catch (Error e) {
                    // An error (OutOfMemoryError) used to end the thread and lose the pack unnoticed: the backup went on to
                    // write a manifest over four missing packs and said Success.
                    failure.compareAndSet(null, new RepositoryException("a pack could not be uploaded: " + e, e));
                } finally {
                    slots.release();
                }
            });
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** Waits until no upload is running; throws the first failure. */
    void await() {
        if (executor != null) {
            slots.acquireUninterruptibly(threads);
            slots.release(threads);
        }
        check();
    }

    /** Lets the upload threads end once the uploads running are done. */
    void close() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    private void check() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
