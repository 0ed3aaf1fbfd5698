package dev.athena.service;

import java.time.Instant;
import java.util.Optional;

import dev.athena.repository.LeaderLease;

/**
 * Which replica of {@code serve} runs the schedule, the retention sweeps and every job: the
 * leader. With one replica it is always this one ({@link #alone()}); with several, a
 * {@link LeaseElection} decides, and the others answer the API and hand jobs to the leader.
 */
public interface Leadership extends AutoCloseable {

    /** What the service does when leadership comes or goes. */
    interface Listener {
        /**
         * This replica now leads. {@code previous} is the holder it took over from (null when
         * there was none, or it let go), {@code lastSeenAlive} when that holder was last seen renewing.
         */
        void elected(LeaderLease.Holder previous, Instant lastSeenAlive);

        /** This replica no longer leads, for {@code reason}. */
        void lost(String reason);
    }

    void start(Listener listener);

    /** True while this replica leads and its lease is provably its own. */
    boolean isLeader();

    /** The API address of the replica that leads, when another one does and it is known. */
    Optional<String> leaderUrl();

    /** Hands the lease over at once (on a clean stop), instead of letting it expire. */
    void release();

    @Override
    void close();

    /** A single replica: it always leads. */
    static Leadership alone() {
        return new Leadership() {
            @Override
            public void start(Listener listener) {
                listener.elected(null, null);
            }

            @Override
            public boolean isLeader() {
                return true;
            }

            @Override
            public Optional<String> leaderUrl() {
                return Optional.empty();
            }

            @Override
            public void release() {
            }

            @Override
            public void close() {
            }
        };
    }
}
