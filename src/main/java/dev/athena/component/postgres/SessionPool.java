package dev.athena.component.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a list of tasks on a fixed number of worker threads, in the order given (largest first,
 * so the longest one never starts last). Each worker opens its own database session the first
 * time a task asks for one and keeps it for its next tasks: a backup worker imports the dump's
 * snapshot once, however many tables it copies. The first failure stops handing out tasks and is
 * rethrown once the running ones have ended.
 */
final class SessionPool {
    /** Opens a worker's session. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws Exception;
    }

    /** The worker's session, opened on first use. */
    @FunctionalInterface
    interface Session {
        Connection get() throws Exception;
    }

    @FunctionalInterface
    interface Task {
        void run(Session session) throws Exception;
    }

    private SessionPool() {
    }

    static void run(String name, int workers, Opener opener, List<Task> tasks) throws Exception {
        ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>(tasks);
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Math.min(workers, tasks.size()); i++) {
            Thread t = new Thread(() -> work(queue, opener, failure), name + "-" + (i + 1));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void work(ConcurrentLinkedQueue<Task> queue, Opener opener, AtomicReference<Exception> failure) {
        Connection[] session = new Connection[1];
        try {
            Task task;
            while (failure.get() == null && (task = queue.poll()) != null) {
                task.run(() -> {
                    if (session[0] == null) {
                        session[0] = opener.open();
                    }
                    return session[0];
                });
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        } catch (Error e) {
            failure.compareAndSet(null, new IllegalStateException(e.toString(), e));
        } finally {
            if (session[0] != null) {
                try {
                    session[0].close();
                } catch (SQLException ignored) {
                    // The session's work is done or failed already; nothing more to learn from its close.
                }
            }
        }
    }
}
