package dev.athena.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.athena.concurrent.Parallel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backups, restores and retention sweeps one at a time, in the background. A job is
 * registered (and its Running record written) before the request is answered, so the status
 * endpoints show it from the first moment; a second request meanwhile is refused. A retention
 * sweep is not a job the contract lets refuse a request (409 means a backup or restore runs),
 * so while one runs, alone or after a backup that has already recorded its end, one request
 * waits behind it instead: recorded Running at once, started when the sweep ends.
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** A job: what it is, its work, and how to record it as failed if the process must stop first. */
    public record Job(String description, Runnable work, Runnable onInterrupted) {
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(Parallel.daemons("athena-job"));
    private Job active;
    /** True while the active job is sweeping, or past its recorded end: a request then waits in {@link #next}. */
    private boolean yielding;
    private Job next;
    private boolean stopping;

    /**
     * Starts the job unless another is running (or waits, when what runs is a sweep). {@code prepare}
     * runs first, on the caller's thread (it writes the Running record); if it throws, nothing was started.
     */
    public boolean start(Job job, Runnable prepare) {
        return start(job, prepare, false);
    }

    private boolean start(Job job, Runnable prepare, boolean sweep) {
        synchronized (this) {
            if (active == null && next == null) {
                active = job;
                // Yielding from the moment it is registered, not from when its thread gets to it.
                yielding = sweep;
            } else if (yielding && next == null && !sweep) {
                next = job;
            } else {
                return false;
            }
        }
        try {
            prepare.run();
            executor.submit(() -> run(job));
            return true;
        } catch (RuntimeException e) {
            release(job);
            throw e;
        }
    }

    /**
     * Starts background work that a request need not be refused for (a restore drill): like a
     * sweep, one backup or restore asked for meanwhile waits behind it; {@code prepare} as in {@link #start}.
     */
    public boolean startBackground(Job job, Runnable prepare) {
        return start(job, prepare, true);
    }

    /** Starts a retention sweep unless a job runs; it yields to the next request from the moment it is registered. */
    public boolean startSweep(String description, Runnable sweep) {
        return start(new Job(description, sweep, () -> { }), () -> { }, true);
    }

    /**
     * Called by the running job once what a request must wait for is done, before it records its
     * end: from then on one request waits behind the rest of it (the sweep after a backup)
     * instead of being refused. Ends with the job.
     */
    public synchronized void yieldToNext() {
        yielding = true;
    }

    private void run(Job job) {
        synchronized (this) {
            if (next == job) {
                next = null;
                if (stopping) {
                    // A job that waited for a sweep does not start once the service is stopping.
                    log.warn("{} was waiting for a retention sweep when Athena stopped: recording it as failed", job.description());
                    job.onInterrupted().run();
                    return;
                }
                active = job;
            }
        }
        try {
            job.work().run();
        } catch (RuntimeException | Error e) {
            log.error("{} ended with an unexpected error", job.description(), e);
        } finally {
            release(job);
        }
    }

    private synchronized void release(Job job) {
        if (active == job) {
            active = null;
            yielding = false;
        }
        if (next == job) {
            next = null;
        }
    }

    /**
     * True when what runs should make way: a request waits behind it, or the service is stopping.
     * A copy to the second location asks this between blobs.
     */
    public synchronized boolean shouldYield() {
        return next != null || stopping;
    }

    /** True once {@link #shutdown} has begun: nothing new starts. */
    synchronized boolean stopping() {
        return stopping;
    }

    /** What runs, or waits to run, if anything. */
    public synchronized Optional<String> running() {
        Job j = active != null ? active : next;
        return j == null ? Optional.empty() : Optional.of(j.description());
    }

    /**
     * Lets the running job finish within {@code grace}; past that, records it as interrupted.
     * Returns true when the job finished by itself.
     */
    public boolean shutdown(Duration grace) {
        synchronized (this) {
            stopping = true;
        }
        executor.shutdown();
        try {
            if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Job j;
        Job waiting;
        synchronized (this) {
            j = active;
            waiting = next;
        }
        if (j != null) {
            log.warn("{} did not finish within the {} s shutdown grace period: recording it as failed", j.description(), grace.toSeconds());
            j.onInterrupted().run();
        }
        if (waiting != null) {
            log.warn("{} was waiting for a retention sweep when Athena stopped: recording it as failed", waiting.description());
            waiting.onInterrupted().run();
        }
        executor.shutdownNow();
        try {
            // The interrupted job gets a moment to let go of what it holds (its repository lock) before the process ends.
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** True when {@code e} comes from the shutdown interrupting the job's thread. */
    static boolean stoppedByShutdown(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    || t instanceof java.nio.channels.ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
