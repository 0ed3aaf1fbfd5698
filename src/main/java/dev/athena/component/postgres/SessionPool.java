package dev.athena.component.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.postgresql.PGConnection;

/**
 * Runs a list of tasks on a fixed number of worker threads, in order. Each worker opens its own database session the first
 * time a task asks for one and keeps it for its next tasks: a backup worker imports the dump's
 * snapshot once, however many tables it copies. The first failure stops handing out tasks,
 * stops the other workers' programs and aborts their sessions (a restore whose one table failed
 * does not wait for the others to load in vain), and is rethrown once every worker has stopped.
 */
final class SessionPool {
    /** Opens a worker's session. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws Exception;
    }

    /** What a task gets from its worker: the worker's session, opened on first use, and a way to be stopped. */
    interface Session {
        Connection get() throws Exception;

        /** Registers how to stop what this task started (a pg_dump or pg_restore process) if another task fails. */
        void onAbort(Runnable stop);
    }

    @FunctionalInterface
    interface Task {
        void run(Session session) throws Exception;
    }

    /** A task and how much work it is (bytes to move), for {@link #runLargestFirst}. */
    record Sized(long estimate, Task task) {
    }

    /** Runs the largest tasks first, so the longest one never starts last and leaves the other workers idle. */
    static void runLargestFirst(String name, int workers, Opener opener, List<Sized> tasks) throws Exception {
        List<Sized> ordered = new ArrayList<>(tasks);
        ordered.sort((a, b) -> Long.compare(b.estimate(), a.estimate()));
        run(name, workers, opener, ordered.stream().map(Sized::task).toList());
    }

    /** Runs the tasks in the order given. */
    static void run(String name, int workers, Opener opener, List<Task> tasks) throws Exception {
        SessionPool pool = new SessionPool(tasks);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Math.min(workers, tasks.size()); i++) {
            Thread t = new Thread(() -> pool.work(opener), name + "-" + (i + 1));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (pool.failure.get() != null) {
            throw pool.failure.get();
        }
    }

    private final ConcurrentLinkedQueue<Task> queue;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Set<Runnable> stops = ConcurrentHashMap.newKeySet();

    private SessionPool(List<Task> tasks) {
        this.queue = new ConcurrentLinkedQueue<>(tasks);
    }

    private void work(Opener opener) {
        Connection[] session = new Connection[1];
        try {
            Task task;
            while (failure.get() == null && (task = queue.poll()) != null) {
                Set<Runnable> mine = ConcurrentHashMap.newKeySet();
                try {
                    task.run(new Session() {
                        @Override
                        public Connection get() throws Exception {
                            if (session[0] == null) {
                                session[0] = opener.open();
                                open.add(session[0]);
                                if (failure.get() != null) {
                                    throw new IllegalStateException("stopped: another task failed");
                                }
                            }
                            return session[0];
                        }

                        @Override
                        public void onAbort(Runnable stop) {
                            mine.add(stop);
                            stops.add(stop);
                            if (failure.get() != null) {
                                stop.run();
                            }
                        }
                    });
                } finally {
                    stops.removeAll(mine);
                }
            }
        } catch (Exception e) {
            fail(e);
        } catch (Error e) {
            fail(new IllegalStateException(e.toString(), e));
        } finally {
            if (session[0] != null) {
                open.remove(session[0]);
                try {
                    session[0].close();
                } catch (SQLException ignored) {
                    // The session's work is done or failed already; nothing more to learn from its close.
                }
            }
        }
    }

    /** Keeps the first failure; the ones it causes in the aborted sessions are its echoes. */
    private void fail(Exception e) {
        if (failure.compareAndSet(null, e)) {
            stops.forEach(Runnable::run);
            for (Connection c : open) {
                try {
                    // Cancel first: a server busy with a statement may not notice a closed socket until it ends.
                    c.unwrap(PGConnection.class).cancelQuery();
                } catch (SQLException ignored) {
                    // Nothing running, or the session is gone already; the abort below still closes it.
                }
                try {
                    c.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // Already closed: nothing to stop.
                }
            }
        }
    }
}
