package dev.athena.component.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.athena.testing.PostgresCluster;

/** The worker pool of the parallel dump and load, against a real PostgreSQL 15 cluster. */
class SessionPoolTest {
    static PostgresCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new PostgresCluster("pool");
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    @Test
    void tasksRunInOrderOnAFewSessionsOpenedOnlyWhenAsked() throws Exception {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        List<Integer> pids = Collections.synchronizedList(new ArrayList<>());
        List<SessionPool.Task> tasks = new ArrayList<>();
        tasks.add(session -> done.add("no session needed"));
        for (int i = 0; i < 6; i++) {
            int n = i;
            tasks.add(session -> {
                try (Statement s = session.get().createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pids.add(rs.getInt(1));
                }
                done.add("task " + n);
            });
        }
        SessionPool.run("test", 2, () -> cluster.connect("postgres"), tasks);
        assertThat(done).hasSize(7).startsWith("no session needed");
        assertThat(pids).hasSize(6);
        assertThat(pids.stream().distinct().count()).as("each worker keeps its session").isLessThanOrEqualTo(2);
    }

    /** A hang guard, not a speed check: without the abort the sleeping task would run for an hour. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theFirstFailureAbortsTheOtherSessionsAndIsTheOneReported() throws Exception {
        List<SessionPool.Task> tasks = List.of(
                session -> {
                    try (Statement s = session.get().createStatement()) {
                        s.execute("SELECT pg_sleep(3600)");
                    }
                },
                session -> {
                    session.get();
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> sleepers() > 0);
                    throw new IllegalStateException("table x failed to load");
                });
        assertThatThrownBy(() -> SessionPool.run("test", 2, () -> cluster.connect("postgres"), tasks))
                .hasMessage("table x failed to load");
        // The cancel request travels on its own connection; the server acts on it a moment later.
        Awaitility.await("the sleeping statement was cancelled").atMost(Duration.ofSeconds(10)).until(() -> sleepers() == 0);
    }

    /** A hang guard again: the program a task started is stopped when another task fails. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theFirstFailureStopsTheProgramsOtherTasksStarted() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        List<SessionPool.Task> tasks = List.of(
                session -> {
                    dev.athena.component.ExternalCommand.of("sleep", "3600").whenStarted(p -> {
                        session.onAbort(p::destroyForcibly);
                        started.countDown();
                    }).run();
                },
                session -> {
                    started.await();
                    throw new IllegalStateException("table y failed to load");
                });
        assertThatThrownBy(() -> SessionPool.run("test", 2, () -> cluster.connect("postgres"), tasks)).hasMessage("table y failed to load");
    }

    private static int sleepers() throws Exception {
        try (Connection c = cluster.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'"
                     + " AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
