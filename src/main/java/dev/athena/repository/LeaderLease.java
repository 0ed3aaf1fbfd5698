package dev.athena.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import dev.athena.storage.ObjectNotFoundException;
import dev.athena.storage.StoredObject;

/**
 * The lease that makes one of several {@code serve} replicas on a namespace the leader, kept in
 * the backup location itself (docs/repository-format.md section 14), so it works wherever the
 * backups do: a local volume or any S3-compatible store, with no Kubernetes API.
 *
 * <p>Leadership is held by terms. A replica becomes leader of term N+1 by claiming it with
 * {@link StoreClaim}: it writes {@code leader/<N+1>/<candidate>} and wins only if the listing shows
 * no other object under that term, so two replicas never win one term. The leader renews by
 * rewriting its own object (a counter goes up); it never touches another term, so a leader that
 * wakes from a long pause cannot overwrite its successor's lease, and sees the higher term the next
 * time it looks. Whether a lease has expired is decided by each observer from its own clock (how
 * long the lease has been seen unchanged), never by comparing clocks across hosts. This class is
 * only the store protocol; the timing lives in the service's election.
 */
public final class LeaderLease {
    /** Terms older than the current one by more than this are deleted by the leader. */
    static final int KEEP_TERMS = 3;

    /** One replica's claim on a term, rewritten at every renewal. */
    public record Holder(String candidate, long term, long renewals, String hostname, long pid, String url, Instant renewedAt,
                         boolean released) {
        public Holder renewed(Instant now) {
            return new Holder(candidate, term, renewals + 1, hostname, pid, url, now, false);
        }

        public Holder releasedAt(Instant now) {
            return new Holder(candidate, term, renewals + 1, hostname, pid, url, now, true);
        }

        public Holder forTerm(long newTerm, Instant now) {
            return new Holder(candidate, newTerm, 0, hostname, pid, url, now, false);
        }

        /** How the holder is named in logs and records: its host, process and address. */
        public String describe() {
            return hostname + " (pid " + pid + ", " + url + ")";
        }
    }

    /**
     * What one look at the lease found: the newest term, its holder (null while two claims of the
     * term are both there, or the claim cannot be read), and a fingerprint that changes whenever
     * anything in that term does, which is what observers time.
     */
    public record Observation(long term, Holder holder, String fingerprint) {
        /** True when nobody holds a lease: there is no term yet, or its holder let go. */
        public boolean vacant() {
            return term == 0 || holder != null && holder.released();
        }
    }

    private final Repository repository;

    public LeaderLease(Repository repository) {
        this.repository = repository;
    }

    public Observation observe() {
        String folder = repository.layout().leaderFolder();
        TreeMap<Long, List<StoredObject>> terms = new TreeMap<>();
        for (StoredObject o : repository.store().list(folder)) {
            long term = repository.layout().leaderTermOf(o.key());
            if (term > 0) {
                terms.computeIfAbsent(term, t -> new ArrayList<>()).add(o);
            }
        }
        if (terms.isEmpty()) {
            return new Observation(0, null, "");
        }
        var top = terms.lastEntry();
        StringBuilder fingerprint = new StringBuilder().append(top.getKey());
        Holder only = null;
        for (StoredObject o : top.getValue()) {
            Holder h = read(o.key());
            fingerprint.append('|').append(o.key()).append(':').append(h == null ? "unreadable:" + o.size() : h.renewals() + ":" + h.released());
            only = h;
        }
        boolean single = top.getValue().size() == 1 && only != null && only.term() == top.getKey();
        return new Observation(top.getKey(), single ? only : null, fingerprint.toString());
    }


    private Holder read(String key) {
        try {
            return Json.read(repository.getSealed(key), Holder.class, "leader lease " + key);
        } catch (ObjectNotFoundException | CorruptDataException e) {
            // Gone meanwhile, or damaged: it counts as a claim nobody renews, and expires like one.
            return null;
        }
    }

    /** Claims {@code holder.term()}; true when no other replica claimed that term. */
    public boolean claim(Holder holder) {
        String key = repository.layout().leaderClaim(holder.term(), holder.candidate());
        return StoreClaim.claim(repository.store(), repository.layout().leaderTerm(holder.term()), key,
                repository.envelope().seal(Json.write(holder)), o -> true);
    }

    /** Rewrites the holder's own claim; it never writes into another term. */
    public void renew(Holder holder) {
        repository.putSealed(repository.layout().leaderClaim(holder.term(), holder.candidate()), Json.write(holder));
    }

    /**
     * Housekeeping by the leader of {@code holder.term()}: claims of its own term left by a replica
     * that lost the race and died before deleting them, and terms long past.
     */
    public void tidy(Holder holder) {
        String folder = repository.layout().leaderFolder();
        String own = repository.layout().leaderClaim(holder.term(), holder.candidate());
        for (StoredObject o : repository.store().list(folder)) {
            long term = repository.layout().leaderTermOf(o.key());
            if (term > 0 && (term < holder.term() - KEEP_TERMS || term == holder.term() && !o.key().equals(own))) {
                repository.store().delete(o.key());
            }
        }
    }
}
