package dev.athena.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.athena.concurrent.Parallel;
import dev.athena.repository.LeaderLease;
import dev.athena.repository.LeaderLease.Holder;
import dev.athena.repository.LeaderLease.Observation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among {@code serve} replicas through a {@link LeaderLease} in the backup store.
 *
 * <p>Timing, for a lease of D (30 s by default): the leader renews every D/6 and stops counting
 * itself leader when it has not renewed for 2D/3 since the start of its last successful renewal.
 * Another replica takes over only once it has seen the lease unchanged for a whole D by its own
 * clock, which began after that renewal was written, so the old leader has given up at least
 * D/3 before anyone takes over, as long as the two clocks run at about the same rate (no clock
 * has to agree with another). A dead leader is replaced within about D plus two polls: under a
 * minute with the default.
 */
public final class LeaseElection implements Leadership {
    private static final Logger log = LoggerFactory.getLogger(LeaseElection.class);
    private final LeaderLease lease;
    private final Holder me;
    private final long leaseNanos;
    private final long renewNanos;
    private final long deadlineNanos;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(Parallel.daemons("athena-election"));
    // Gives up leadership on time even while a call to the store hangs in the loop.
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(Parallel.daemons("athena-election-watchdog"));
    // The service's reactions run apart from the loop: a slow one (reading every record) must not delay a renewal.
    private final ExecutorService events = Executors.newSingleThreadExecutor(Parallel.daemons("athena-leadership"));
    private Listener listener;
    private final AtomicReference<Holder> held = new AtomicReference<>();
    private volatile long renewedAtNanos;
    private volatile Holder otherLeader;
    private volatile String lastFingerprint;
    private volatile long lastChangeNanos;
    private volatile String lastProblem = "none";
    private volatile boolean stopped;

    /** {@code url} is where the other replicas reach this one's API. */
    public LeaseElection(LeaderLease lease, String hostname, String url, Duration leaseDuration) {
        this.lease = lease;
        this.me = new Holder(UUID.randomUUID().toString(), 0, 0, hostname, ProcessHandle.current().pid(), url, Instant.now(), false);
        this.leaseNanos = leaseDuration.toNanos();
        this.renewNanos = leaseNanos / 6;
        this.deadlineNanos = leaseNanos * 2 / 3;
    }

    @Override
    public synchronized void start(Listener listener) {
        this.listener = listener;
        log.info("leader election on: lease {} s, renewed every {} s; this replica is {}", Duration.ofNanos(leaseNanos).toSeconds(),
                Duration.ofNanos(renewNanos).toMillis() / 1000.0, me.describe());
        // The first look happens now, so a replica alone on a fresh location leads as soon as it has started.
        step();
        loop.schedule(this::loop, renewNanos, TimeUnit.NANOSECONDS);
        watchdog.scheduleAtFixedRate(this::checkDeadline, renewNanos / 4, renewNanos / 4, TimeUnit.NANOSECONDS);
    }

    private void checkDeadline() {
        Holder h = held.get();
        if (h != null && System.nanoTime() - renewedAtNanos > deadlineNanos) {
            lose(h, "it could not renew its lease for " + Duration.ofNanos(deadlineNanos).toSeconds() + " s (last problem: " + lastProblem + ")");
        }
    }

    private void loop() {
        step();
        if (!stopped) {
            // A candidate waits a little at random, so two that lost a close race do not collide again.
            long delay = held.get() != null ? renewNanos : renewNanos + ThreadLocalRandom.current().nextLong(renewNanos / 2 + 1);
            loop.schedule(this::loop, delay, TimeUnit.NANOSECONDS);
        }
    }

    synchronized void step() {
        if (stopped) {
            return;
        }
        try {
            Holder h = held.get();
            if (h != null) {
                renew(h);
            } else {
                campaign();
            }
        } catch (dev.athena.storage.ReadOnlyStorageException e) {
            lastProblem = e.getMessage();
            log.error("leader election: the backup location is read-only, so no replica can take the lease and none will run jobs;"
                    + " to restore from a read-only location run one replica without ATHENA_LEADER_ELECTION ({})", e.getMessage());
        } catch (RuntimeException e) {
            lastProblem = e.getMessage();
            log.warn("leader election: cannot reach the lease in the backup location: {}", e.getMessage());
        }
        checkDeadline();
    }

    private void renew(Holder h) {
        long start = System.nanoTime();
        Observation seen = lease.observe();
        if (seen.term() > h.term()) {
            String who = seen.holder() == null ? "another replica" : seen.holder().describe();
            lose(h, who + " holds a newer term (" + seen.term() + ") of the lease");
            return;
        }
        Holder next = h.renewed(Instant.now());
        lease.renew(next);
        // Unless the watchdog gave up meanwhile: a renewal that took past the deadline does not bring leadership back.
        if (System.nanoTime() - renewedAtNanos <= deadlineNanos && held.compareAndSet(h, next)) {
            renewedAtNanos = start;
            if (next.renewals() % 12 == 1) {
                lease.tidy(next);
            }
        }
    }

    private void campaign() {
        Observation seen = lease.observe();
        long now = System.nanoTime();
        if (!seen.fingerprint().equals(lastFingerprint)) {
            lastFingerprint = seen.fingerprint();
            lastChangeNanos = now;
        }
        Holder current = seen.holder();
        Holder leading = current != null && !current.released() ? current : null;
        if (leading != null && (otherLeader == null || !otherLeader.candidate().equals(leading.candidate()))) {
            log.info("{} leads (term {}): this replica follows, answers the API and hands jobs to the leader", leading.describe(), leading.term());
        }
        otherLeader = leading;
        long unchanged = now - lastChangeNanos;
        if (!seen.vacant() && unchanged < leaseNanos) {
            return;
        }
        long start = System.nanoTime();
        Holder mine = me.forTerm(seen.term() + 1, Instant.now());
        if (!lease.claim(mine)) {
            log.info("leader election: another replica claimed term {} at the same moment; watching it", mine.term());
            return;
        }
        renewedAtNanos = start;
        held.set(mine);
        otherLeader = null;
        Holder previous = seen.vacant() ? null : current;
        // When the holder let go (or was last seen alive), for the schedule to carry on from there; none before the first term.
        Instant lastSeenAlive = seen.term() == 0 ? null : Instant.now().minusNanos(unchanged);
        if (previous != null) {
            log.warn("this replica leads now (term {}): the lease of {} was not renewed for {} s", mine.term(), previous.describe(),
                    Duration.ofNanos(unchanged).toSeconds());
        } else if (seen.term() > 0 && current == null) {
            log.warn("this replica leads now (term {}): the claims of term {} were not renewed for {} s", mine.term(), seen.term(),
                    Duration.ofNanos(unchanged).toSeconds());
        } else {
            log.info("this replica leads now (term {})", mine.term());
        }
        Listener l = listener;
        events.execute(() -> l.elected(previous, lastSeenAlive));
    }

    private void lose(Holder h, String reason) {
        if (!held.compareAndSet(h, null)) {
            return;
        }
        lastFingerprint = null;
        log.error("this replica no longer leads: {}", reason);
        Listener l = listener;
        events.execute(() -> l.lost(reason));
    }

    @Override
    public boolean isLeader() {
        return held.get() != null && System.nanoTime() - renewedAtNanos < deadlineNanos;
    }

    @Override
    public Optional<String> leaderUrl() {
        Holder h = otherLeader;
        return held.get() != null || h == null ? Optional.empty() : Optional.of(h.url());
    }

    /** This replica's own entry in the lease (its candidate id, host, address). */
    public Holder self() {
        return me;
    }

    @Override
    public synchronized void release() {
        stopped = true;
        loop.shutdownNow();
        watchdog.shutdownNow();
        Holder h = held.getAndSet(null);
        if (h != null) {
            try {
                lease.renew(h.releasedAt(Instant.now()));
                log.info("released the leader's lease (term {}): another replica can take over at once", h.term());
            } catch (RuntimeException e) {
                log.warn("cannot release the leader's lease; another replica takes over when it expires: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        loop.shutdownNow();
        watchdog.shutdownNow();
        events.shutdownNow();
    }
}
