package dev.athena.concurrent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The worker threads Athena starts: daemons (a stuck one never keeps the process alive), named for thread dumps. */
public final class Parallel {
    private Parallel() {
    }

    /** Daemon threads called {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Runs {@code action} on every item, {@code threads} at a time, and returns when all are done; rethrows the first failure. */
    public static <T> void forEach(String name, int threads, Collection<T> items, Consumer<T> action) {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (T item : items) {
            tasks.add(() -> {
                action.accept(item);
                return null;
            });
        }
        Outcomes<Void> outcomes;
        try {
            outcomes = runAll(name, threads, tasks, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        if (outcomes.firstFailure() >= 0) {
            Throwable cause = outcomes.each().get(outcomes.firstFailure()).failure();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        }
    }

    /**
     * A pool fed one item at a time, for work found while something else is still being read (the
     * packs a restore's check must read, found while it walks the tree): the first items run while
     * the rest are still being found. {@link #finish} waits for all and rethrows the first failure;
     * after a failure the items not yet started are skipped. Closing without {@code finish}
     * (the feeder failed) interrupts what runs and waits until it has stopped.
     */
    public static <T> Feed<T> feed(String name, int threads, Consumer<T> action) {
        return new Feed<>(Executors.newFixedThreadPool(Math.max(1, threads), daemons(name)), action);
    }

    public static final class Feed<T> implements AutoCloseable {
        private final ExecutorService pool;
        private final Consumer<T> action;
        private final java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        private boolean finished;

        private Feed(ExecutorService pool, Consumer<T> action) {
            this.pool = pool;
            this.action = action;
        }

        public void submit(T item) {
            pool.execute(() -> {
                if (firstFailure.get() != null) {
                    return;
                }
                try {
                    action.accept(item);
                } catch (Throwable e) {
                    firstFailure.compareAndSet(null, e);
                }
            });
        }

        /** Waits until every item submitted has been handled; rethrows the first failure. */
        public void finish() {
            finished = true;
            awaitStopped(pool);
            Throwable e = firstFailure.get();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (!finished) {
                pool.shutdownNow();
                awaitStopped(pool);
            }
        }
    }

    /** What one task of {@link #runAll} gave: its value, or how it failed (a cancelled task: {@link CancellationException}). */
    public record Outcome<T>(T value, Throwable failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    /** Every task's outcome, in the tasks' order, and which task failed first in time (-1 when none did). */
    public record Outcomes<T>(List<Outcome<T>> each, int firstFailure) {
    }

    /**
     * Runs {@code tasks}, {@code threads} at a time, and returns only when every one that started
     * has stopped, so none goes on writing after the caller has moved on. On the first failure,
     * with {@code stopOnFailure} the others are interrupted (and those not started never start);
     * without, they run to their end. When the caller is interrupted, the tasks are interrupted,
     * waited for, and the interrupt is rethrown.
     */
    public static <T> Outcomes<T> runAll(String name, int threads, List<Callable<T>> tasks, boolean stopOnFailure)
            throws InterruptedException {
        List<Outcome<T>> each = new ArrayList<>(Collections.nCopies(tasks.size(), (Outcome<T>) null));
        if (tasks.isEmpty()) {
            return new Outcomes<>(each, -1);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), daemons(name));
        CompletionService<T> done = new ExecutorCompletionService<>(pool);
        Map<Future<T>, Integer> index = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            index.put(done.submit(tasks.get(i)), i);
        }
        int firstFailure = -1;
        try {
            for (int n = 0; n < tasks.size(); n++) {
                Future<T> f = done.take();
                int i = index.get(f);
                try {
                    each.set(i, new Outcome<>(f.get(), null));
                } catch (ExecutionException | CancellationException e) {
                    each.set(i, new Outcome<>(null, e instanceof ExecutionException ? e.getCause() : e));
                    if (firstFailure < 0 && !(e instanceof CancellationException)) {
                        firstFailure = i;
                        if (stopOnFailure) {
                            index.keySet().forEach(other -> other.cancel(true));
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            index.keySet().forEach(other -> other.cancel(true));
            awaitStopped(pool);
            throw e;
        }
        awaitStopped(pool);
        return new Outcomes<>(each, firstFailure);
    }

    /** Waits, even when interrupted, until the pool's threads have stopped; keeps the interrupt. */
    private static void awaitStopped(ExecutorService pool) {
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
