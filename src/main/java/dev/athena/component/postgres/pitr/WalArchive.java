package dev.athena.component.postgres.pitr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.athena.repository.Json;
import dev.athena.repository.Repository;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.storage.StoredObject;

/**
 * The namespace's archived write-ahead log in the repository ({@code <ns>/wal/}): each complete
 * segment under its PostgreSQL file name, the segment being written as {@code NAME.partial}
 * (replaced as it grows), and {@code archive.json}, which cluster the WAL is of. Every object is
 * compressed and sealed (docs/repository-format.md, "Write-ahead log").
 */
public final class WalArchive {
    static final String INFO = "archive.json";
    static final String PARTIAL = ".partial";

    /** Which cluster's WAL this is: its system identifier, and its segment size in bytes. */
    public record Info(String systemIdentifier, long segmentSize) {
    }

    /** One archived object: a segment, and whether it is the partial one. */
    public record Entry(WalPosition.Segment segment, String name, boolean partial) {
    }

    private final Repository repository;

    public WalArchive(Repository repository) {
        this.repository = repository;
    }

    private String key(String name) {
        return repository.layout().walFolder() + name;
    }

    /** Null while nothing was archived. */
    public Info info() {
        try {
            return Json.read(repository.getSealed(key(INFO)), Info.class, "WAL archive description");
        } catch (ObjectNotFoundException e) {
            return null;
        }
    }

    public void writeInfo(Info info) {
        repository.putSealed(key(INFO), Json.write(info));
    }

    public void putSegment(String name, byte[] data, int length) {
        repository.putSealedCompressed(key(name), data, length);
    }

    public void putPartial(String name, byte[] data, int length) {
        repository.putSealedCompressed(key(name + PARTIAL), data, length);
    }

    public void deletePartial(String name) {
        repository.store().delete(key(name + PARTIAL));
    }

    /** Every archived segment, oldest first (a partial one after the complete segment of the same name, if both exist). */
    public List<Entry> list(long segmentSize) {
        List<Entry> out = new ArrayList<>();
        for (StoredObject o : repository.store().list(repository.layout().walFolder())) {
            String name = o.key().substring(o.key().lastIndexOf('/') + 1);
            boolean partial = name.endsWith(PARTIAL);
            String segmentName = partial ? name.substring(0, name.length() - PARTIAL.length()) : name;
            WalPosition.Segment s = WalPosition.parse(segmentName, segmentSize);
            if (s != null) {
                out.add(new Entry(s, segmentName, partial));
            }
        }
        out.sort(Comparator.comparing(Entry::segment).thenComparing(Entry::partial));
        return out;
    }

    /**
     * The WAL a recovery from {@code base} replays, oldest first, each segment once (the complete
     * one rather than a partial of the same name), up to the newest archived. {@link IOException}
     * naming the first missing segment when the chain has a hole, the position recovery cannot pass, and (pg_waldump
     * installed) the commit time of the last transaction before it: the latest moment still reachable.
     */
    public List<Entry> chain(PointInTimeRecovery.Base base) throws IOException {
        Info info = info();
        if (info == null) {
            throw new IOException("no WAL is archived for this namespace, so no moment after the base backup can be reached:"
                    + " set POSTGRES_WAL_ARCHIVE=true, or restore without a target time");
        }
        long size = info.segmentSize();
        WalPosition.Segment first = WalPosition.segmentOf(base.timeline(), base.startLsn(), size);
        List<Entry> chain = new ArrayList<>();
        WalPosition.Segment expected = first;
        for (Entry e : list(size)) {
            if (e.segment().timeline() != base.timeline() || e.segment().compareTo(first) < 0) {
                continue;
            }
            if (!chain.isEmpty() && chain.get(chain.size() - 1).segment().equals(e.segment())) {
                continue; // a partial left beside its complete segment
            }
            if (!e.segment().equals(expected)) {
                String reach = chain.isEmpty() ? WalPosition.format(base.endLsn()) + " (the end of the base backup)"
                        : WalPosition.format(chain.get(chain.size() - 1).segment().startLsn(size) + size);
                String moment = LastCommit.in(this, chain, size).map(t -> "; the latest moment still reachable is " + t
                        + " (the last transaction committed before the hole)").orElse("");
                throw new IOException("WAL segment " + expected.name(size) + " is missing from the archive: recovery cannot go past " + reach
                        + moment + "; choose an earlier moment, or a later backup");
            }
            chain.add(e);
            if (e.partial()) {
                break;
            }
            expected = new WalPosition.Segment(base.timeline(), expected.number() + 1);
        }
        if (base.recoveryLsn() != null) {
            Entry last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
            long reached = last == null ? base.endLsn() : last.segment().startLsn(size) + (last.partial() ? read(last).length : size);
            if (Long.compareUnsigned(reached, base.recoveryLsn()) < 0) {
                throw new IOException("the WAL archive ends at " + WalPosition.format(reached) + ", before this backup's own moment ("
                        + WalPosition.format(base.recoveryLsn()) + "): the WAL from " + WalPosition.format(reached) + " on is missing from it");
            }
        }
        return chain;
    }

    /**
     * Deletes the segments no kept base backup needs: every one before the segment holding
     * {@code oldestNeeded} (the start of the oldest base backup kept), whatever its timeline.
     * Returns how many were deleted.
     */
    public int deleteBefore(long oldestNeeded) {
        Info info = info();
        if (info == null) {
            return 0;
        }
        long first = Long.divideUnsigned(oldestNeeded, info.segmentSize());
        int deleted = 0;
        for (Entry e : list(info.segmentSize())) {
            if (e.segment().number() < first) {
                repository.store().delete(key(e.name() + (e.partial() ? PARTIAL : "")));
                deleted++;
            }
        }
        return deleted;
    }

    /** A timeline's history file ({@code 00000002.history}), as the server keeps it in pg_wal. */
    public void putHistory(int timeline, byte[] content) {
        repository.putSealed(key(historyName(timeline)), content);
    }

    static String historyName(int timeline) {
        return String.format("%08X.history", timeline);
    }

    /** Every archived timeline history file, by name. */
    public java.util.Map<String, byte[]> histories() {
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        for (StoredObject o : repository.store().list(repository.layout().walFolder())) {
            String name = o.key().substring(o.key().lastIndexOf('/') + 1);
            if (name.matches("[0-9A-F]{8}\\.history")) {
                out.put(name, repository.getSealed(o.key()));
            }
        }
        return out;
    }

    public boolean hasHistory(int timeline) {
        return repository.store().exists(key(historyName(timeline)));
    }

    /** A segment's bytes (a partial one's as far as it was written). */
    public byte[] read(Entry entry) {
        return repository.getSealedCompressed(key(entry.name() + (entry.partial() ? PARTIAL : "")));
    }
}
