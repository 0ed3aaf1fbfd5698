package dev.athena.component.postgres.pitr;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Streams the platform's write-ahead log into the repository, continuously, over the replication
 * protocol with a physical replication slot of Athena's own. The slot is told a position is safe
 * only once the segment holding it is stored (and read back) in the repository, so the server
 * keeps every byte not yet archived, across restarts of Athena and of the server. The segment
 * being written is stored as it grows, every {@code uploadInterval}: the point-in-time recovery
 * point is seconds old, not a 16 MiB segment's worth of writes.
 *
 * <p>On start it carries on from what the archive holds (the partial segment is read back and
 * extended); a span the server no longer has (the slot was dropped, the archive emptied) is a gap,
 * logged and shown in {@link #status()}, which a new base backup closes.
 */
public final class WalArchiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalArchiver.class);

    /** What the archiver has done, for /metrics and the API. Positions are LSNs; null when not yet known. */
    public record Status(boolean streaming, Integer timeline, Long archivedLsn, Long receivedLsn, Long serverLsn, long lagBytes,
                         long lagSeconds, long segmentsArchived, String lastArchivedAt, String gap, String error) {
        Status withLagSeconds(long seconds) {
            return new Status(streaming, timeline, archivedLsn, receivedLsn, serverLsn, lagBytes, seconds, segmentsArchived, lastArchivedAt, gap, error);
        }
    }

    private final ServerAddress server;
    private final WalArchive archive;
    private final String slot;
    private final Duration uploadInterval;
    private final Clock clock;
    private final Duration retryAfter;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile Status status = new Status(false, null, null, null, null, 0, 0, 0, null, null, null);
    private String lastLoggedError;

    public WalArchiver(ServerAddress server, WalArchive archive, String slot, Duration uploadInterval, Clock clock, Duration retryAfter) {
        this.server = server;
        this.archive = archive;
        this.slot = slot;
        this.uploadInterval = uploadInterval;
        this.clock = clock;
        this.retryAfter = retryAfter;
    }

    /** Replication slot names: lower-case letters, digits and underscores. */
    public static String slotName(String namespace) {
        return ("athena_" + namespace).replace('-', '_');
    }

    /** The status, with {@code lagSeconds} counted now from when the oldest WAL not yet stored was first seen. */
    public Status status() {
        Instant since = unstoredSince;
        return status.withLagSeconds(since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toSeconds()));
    }

    /** When the oldest WAL not yet stored was first seen (received, or known to be on the server); null while none is waiting. */
    private volatile Instant unstoredSince;

    public synchronized WalArchiver start() {
        if (thread == null) {
            stopping = false;
            thread = new Thread(this::run, "athena-wal-archiver");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    @Override
    public synchronized void close() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stopping = true;
        t.interrupt();
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        while (!stopping) {
            try {
                stream();
            } catch (Exception e) {
                if (stopping) {
                    break;
                }
                String message = describe(e);
                status = with(false, message);
                // A server that is down for an hour is one line in the log, and another when it is back.
                if (!message.equals(lastLoggedError)) {
                    log.error("WAL archiving of {}:{} stopped, trying again every {}: {}", server.host(), server.port(),
                            dev.athena.concurrent.Sizes.duration(retryAfter.toMillis()), message);
                    lastLoggedError = message;
                }
            }
            try {
                Thread.sleep(retryAfter.toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private Status with(boolean streaming, String error) {
        Status s = status;
        return new Status(streaming, s.timeline(), s.archivedLsn(), s.receivedLsn(), s.serverLsn(), s.lagBytes(), s.lagSeconds(),
                s.segmentsArchived(), s.lastArchivedAt(), s.gap(), error);
    }

    private Connection connect(boolean replication) throws SQLException {
        Properties p = server.jdbcProperties();
        if (replication) {
            PGProperty.REPLICATION.set(p, "true");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "9.4");
            PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        }
        try {
            return DriverManager.getConnection(server.jdbcUrl("postgres"), p);
        } catch (SQLException e) {
            throw new SQLException("cannot connect to PostgreSQL at " + server.host() + ":" + server.port() + " as " + server.user()
                    + (replication ? " for replication (the user needs the REPLICATION attribute, and pg_hba.conf a 'replication' line)" : "")
                    + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** What the server says of itself and of Athena's slot (created, reserving WAL from now, when missing). */
    private record ServerState(String systemIdentifier, long segmentSize, int timeline, long restartLsn, long currentLsn) {
    }

    private ServerState serverState(Connection sql) throws SQLException {
        try (Statement s = sql.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                if (!r.next()) {
                    s.execute("SELECT pg_create_physical_replication_slot('" + slot + "', true)");
                    log.info("created the physical replication slot {}: the server keeps its WAL until Athena has archived it", slot);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT (SELECT system_identifier::text FROM pg_control_system()),"
                    + " (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'),"
                    + " (SELECT timeline_id FROM pg_control_checkpoint()),"
                    + " (SELECT restart_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'),"
                    + " pg_current_wal_lsn()::text")) {
                r.next();
                return new ServerState(r.getString(1), r.getLong(2), r.getInt(3), WalPosition.parseLsn(r.getString(4)),
                        WalPosition.parseLsn(r.getString(5)));
            }
        }
    }

    private static long currentLsn(Connection sql) throws SQLException {
        try (PreparedStatement q = sql.prepareStatement("SELECT pg_current_wal_lsn()::text"); ResultSet r = q.executeQuery()) {
            r.next();
            return WalPosition.parseLsn(r.getString(1));
        }
    }

    /** One connection's worth of streaming: returns or throws when the connection ends. */
    private void stream() throws Exception {
        try (Connection sql = connect(false)) {
            ServerState state = serverState(sql);
            WalArchive.Info info = archive.info();
            if (info == null) {
                archive.writeInfo(new WalArchive.Info(state.systemIdentifier(), state.segmentSize()));
            } else if (!info.systemIdentifier().equals(state.systemIdentifier())) {
                throw new IllegalStateException("the server at " + server.host() + ":" + server.port() + " is another database cluster (system identifier "
                        + state.systemIdentifier() + ") than the one whose WAL this namespace's archive holds (" + info.systemIdentifier()
                        + "); archiving stops rather than mix them: archive this cluster under another ATHENA_NAMESPACE");
            }
            long size = state.segmentSize();
            Segment current = resume(state, size);
            try (Connection replication = connect(true)) {
                archiveHistory(replication, state.timeline());
                PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream().physical()
                        .withSlotName(slot).withStartPosition(LogSequenceNumber.valueOf(current.end())).withStatusInterval(1, java.util.concurrent.TimeUnit.SECONDS)
                        .start();
                try {
                    follow(stream, sql, current, state.timeline(), size);
                } finally {
                    stream.close();
                }
            }
        }
    }

    /**
     * A timeline after the first (the server was recovered to a moment, or promoted) has a history
     * file: stored once, so a later recovery picks a timeline of its own instead of reusing this one.
     */
    private void archiveHistory(Connection replication, int timeline) throws SQLException {
        if (timeline <= 1 || archive.hasHistory(timeline)) {
            return;
        }
        try (Statement s = replication.createStatement(); ResultSet r = s.executeQuery("TIMELINE_HISTORY " + timeline)) {
            if (r.next()) {
                archive.putHistory(timeline, r.getBytes(2));
                log.info("WAL archiving: the server is on timeline {}; its history file is archived", timeline);
            }
        }
    }

    /** The segment being filled: its start and the bytes received so far. */
    private static final class Segment {
        final WalPosition.Segment id;
        final long start;
        final byte[] bytes;
        int length;
        /** How far it is stored (and the slot may be told). */
        int stored;

        Segment(WalPosition.Segment id, long start, int size) {
            this.id = id;
            this.start = start;
            this.bytes = new byte[size];
        }

        long end() {
            return start + length;
        }
    }

    /** Where to carry on: the archive's partial segment, or the segment after its last complete one, or the slot's position. */
    private Segment resume(ServerState state, long size) {
        List<WalArchive.Entry> entries = archive.list(size);
        long archivedEnd = -1;
        WalArchive.Entry partial = null;
        for (WalArchive.Entry e : entries) {
            if (e.segment().timeline() != state.timeline()) {
                continue;
            }
            if (e.partial()) {
                partial = e;
            } else {
                archivedEnd = Math.max(archivedEnd, e.segment().startLsn(size) + size);
            }
        }
        Segment s;
        if (partial != null && partial.segment().startLsn(size) >= archivedEnd) {
            byte[] kept = archive.read(partial);
            s = new Segment(partial.segment(), partial.segment().startLsn(size), (int) size);
            System.arraycopy(kept, 0, s.bytes, 0, kept.length);
            s.length = kept.length;
            s.stored = kept.length;
        } else {
            long from = archivedEnd >= 0 ? archivedEnd : state.restartLsn() - state.restartLsn() % size;
            WalPosition.Segment id = WalPosition.segmentOf(state.timeline(), from, size);
            s = new Segment(id, id.startLsn(size), (int) size);
        }
        String gap = null;
        if (s.end() < state.restartLsn() - state.restartLsn() % size) {
            // The server no longer has what follows the archive: the slot was dropped or the archive emptied meanwhile.
            long from = state.restartLsn() - state.restartLsn() % size;
            gap = "WAL from " + WalPosition.format(s.end()) + " to " + WalPosition.format(from) + " was never archived: point-in-time recovery"
                    + " cannot reach a moment in that span; the next base backup starts a complete chain again";
            log.error("WAL archiving: {}", gap);
            WalPosition.Segment id = WalPosition.segmentOf(state.timeline(), from, size);
            s = new Segment(id, from, (int) size);
        }
        Status old = status;
        status = new Status(false, state.timeline(), s.start + s.stored, null, state.currentLsn(), 0, 0, old.segmentsArchived(), old.lastArchivedAt(),
                gap != null ? gap : old.gap(), null);
        log.info("WAL archiving of {}:{} (timeline {}, slot {}) carries on from {}", server.host(), server.port(), state.timeline(), slot,
                WalPosition.format(s.end()));
        return s;
    }

    private void follow(PGReplicationStream stream, Connection sql, Segment first, int timeline, long size) throws Exception {
        Segment s = first;
        Instant lastUpload = clock.instant();
        long serverLsn = status.serverLsn() == null ? 0 : status.serverLsn();
        while (!stopping) {
            ByteBuffer payload = stream.readPending();
            if (payload != null) {
                long received = stream.getLastReceiveLSN().asLong();
                long at = received - payload.remaining();
                if (at != s.end()) {
                    throw new IllegalStateException("the server sent WAL at " + WalPosition.format(at) + ", expected " + WalPosition.format(s.end()));
                }
                while (payload.hasRemaining()) {
                    int n = Math.min(payload.remaining(), s.bytes.length - s.length);
                    payload.get(s.bytes, s.length, n);
                    s.length += n;
                    if (unstoredSince == null) {
                        unstoredSince = clock.instant();
                    }
                    if (s.length == s.bytes.length) {
                        archive.putSegment(s.id.name(size), s.bytes, s.length);
                        // The next segment's partial, empty for now, marks where the archive ends: without it, a lost newest
                        // segment would leave a chain that merely looks shorter, not one with a hole.
                        WalPosition.Segment following = new WalPosition.Segment(timeline, s.id.number() + 1);
                        archive.putPartial(following.name(size), new byte[0], 0);
                        archive.deletePartial(s.id.name(size));
                        s.stored = s.length;
                        confirm(stream, s.end());
                        recordArchived(s, received, serverLsn, true);
                        s = new Segment(following, following.startLsn(size), (int) size);
                        unstoredSince = payload.hasRemaining() ? clock.instant() : null;
                    }
                }
                continue;
            }
            Instant now = clock.instant();
            if (Duration.between(lastUpload, now).compareTo(uploadInterval) >= 0) {
                lastUpload = now;
                serverLsn = currentLsn(sql);
                if (s.length > s.stored) {
                    archive.putPartial(s.id.name(size), s.bytes, s.length);
                    s.stored = s.length;
                    confirm(stream, s.end());
                    unstoredSince = null;
                    recordArchived(s, stream.getLastReceiveLSN().asLong(), serverLsn, false);
                } else {
                    Status old = status;
                    long lag = Math.max(0, serverLsn - (s.start + s.stored));
                    // WAL the server has and Athena has not received yet is waiting too.
                    unstoredSince = lag == 0 ? null : unstoredSince != null ? unstoredSince : now;
                    status = new Status(true, timeline, s.start + s.stored, stream.getLastReceiveLSN().asLong(), serverLsn, lag, 0,
                            old.segmentsArchived(), old.lastArchivedAt(), old.gap(), null);
                }
            }
            Thread.sleep(10);
        }
    }

    /** Tells the server (through the slot) that everything before {@code lsn} is archived: it may recycle that WAL. */
    private static void confirm(PGReplicationStream stream, long lsn) throws SQLException {
        stream.setFlushedLSN(LogSequenceNumber.valueOf(lsn));
        stream.setAppliedLSN(LogSequenceNumber.valueOf(lsn));
        stream.forceUpdateStatus();
    }

    private void recordArchived(Segment s, long received, long serverLsn, boolean complete) {
        Status old = status;
        long archived = s.start + s.stored;
        if (lastLoggedError != null) {
            log.info("WAL archiving of {}:{} runs again, at {}", server.host(), server.port(), WalPosition.format(archived));
            lastLoggedError = null;
        }
        status = new Status(true, s.id.timeline(), archived, received, Math.max(serverLsn, received), Math.max(0, Math.max(serverLsn, received) - archived),
                0, old.segmentsArchived() + (complete ? 1 : 0), clock.instant().toString(), old.gap(), null);
    }
}
