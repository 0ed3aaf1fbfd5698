package dev.athena.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.athena.concurrent.Parallel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backups, restores and retention sweeps one at a time, in the background. A job is
 * registered (and its Running record written) before the request is answered, so the status
 * endpoints show it from the first moment; a second request meanwhile is refused.
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** A job: what it is, its work, and how to record it as failed if the process must stop first. */
    public record Job(String description, Runnable work, Runnable onInterrupted) {
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(Parallel.daemons("athena-job"));
    private final AtomicReference<Job> current = new AtomicReference<>();

    /**
     * Starts the job unless another is running. {@code prepare} runs first, on the caller's thread
     * (it writes the Running record); if it throws, nothing was started.
     */
    public boolean start(Job job, Runnable prepare) {
        if (!current.compareAndSet(null, job)) {
            return false;
        }
        try {
            prepare.run();
            executor.submit(() -> {
                try {
                    job.work().run();
                } catch (RuntimeException | Error e) {
                    log.error("{} ended with an unexpected error", job.description(), e);
                } finally {
                    current.set(null);
                }
            });
            return true;
        } catch (RuntimeException e) {
            current.set(null);
            throw e;
        }
    }

    public Optional<String> running() {
        Job j = current.get();
        return j == null ? Optional.empty() : Optional.of(j.description());
    }

    /**
     * Lets the running job finish within {@code grace}; past that, records it as interrupted.
     * Returns true when the job finished by itself.
     */
    public boolean shutdown(Duration grace) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Job j = current.get();
        if (j != null) {
            log.warn("{} did not finish within the {} s shutdown grace period: recording it as failed", j.description(), grace.toSeconds());
            j.onInterrupted().run();
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
