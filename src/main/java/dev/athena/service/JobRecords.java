package dev.athena.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.athena.concurrent.Parallel;
import dev.athena.config.BackupUrls;
import dev.athena.repository.CorruptDataException;
import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryException;
import dev.athena.repository.RepositoryLayout;
import dev.athena.storage.ObjectNotFoundException;
import dev.athena.storage.StoredObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of this namespace's jobs, as the API shows them, kept in the backup location: each
 * backup's status record, each restore's record, and the restores' disaster-recovery reports.
 * Finished records never change, so they are cached; one listing per request finds new and
 * deleted backups.
 */
public final class JobRecords implements RestoreJob.Recorder {
    private static final Logger log = LoggerFactory.getLogger(JobRecords.class);
    private final Repository repository;
    private final BackupUrls urls;
    /**
     * Records this process saved, and finished, intact ones it read: a running job's status is
     * answered from here while a client polls it (on S3 each poll was a LIST and a GET); what is
     * saved goes to the store first, so the store says the same.
     */
    private final Map<String, BackupRecord> known = new ConcurrentHashMap<>();
    /**
     * The record of each restore this process is running, as last saved, by backup timestamp: a
     * client polling /restorestatus is answered from it instead of a LIST and a GET of the store.
     * A restore's final record leaves the map and is read from the store.
     */
    private final Map<String, RestoreRecord> runningRestores = new ConcurrentHashMap<>();
    /** Damage already logged: a damaged object is read again at every listing, and the log says so once. */
    private final java.util.Set<String> reported = ConcurrentHashMap.newKeySet();

    /** The progress of the jobs this process runs, added to their Running records when they are read. */
    private final ProgressBoard board;

    public JobRecords(Repository repository, BackupUrls urls) {
        this(repository, urls, new ProgressBoard());
    }

    JobRecords(Repository repository, BackupUrls urls, ProgressBoard board) {
        this.repository = repository;
        this.urls = urls;
        this.board = board;
    }

    private BackupRecord live(BackupRecord r) {
        return r.status() != JobStatus.Running ? r : board.of(ProgressBoard.Kind.backup, r.timestamp()).map(r::withProgress).orElse(r);
    }

    private RestoreRecord live(RestoreRecord r) {
        return r.status() != JobStatus.Running ? r : board.of(ProgressBoard.Kind.restore, r.restoreId()).map(r::withProgress).orElse(r);
    }

    private void warnOnce(String message) {
        if (reported.size() < 10_000 && reported.add(message)) {
            log.warn("{}", message);
        }
    }

    public String url(String namespace, String timestamp) {
        return urls.of(namespace, timestamp);
    }

    public void save(BackupRecord record) {
        repository.putSealed(repository.layout().status(record.timestamp()), Json.write(record));
        known.put(record.timestamp(), record);
    }

    /**
     * Records {@code failed}, a backup the shutdown stopped, unless this process has recorded the
     * backup's end already: a backup whose Success is saved still runs its retention sweep, and
     * stopping then must not turn a good backup into a failed one (the demo, polling its record from
     * memory, stopped its service in that moment and restored nothing).
     */
    public void saveInterrupted(BackupRecord failed) {
        BackupRecord last = known.get(failed.timestamp());
        if (last == null || !last.status().finished()) {
            save(failed);
        }
    }

    public Optional<BackupRecord> find(String timestamp) {
        RepositoryLayout.checkTimestamp(timestamp);
        BackupRecord cached = known.get(timestamp);
        if (cached != null) {
            return Optional.of(live(cached));
        }
        Optional<BackupRecord> r = read(timestamp);
        // A damaged one is read again next time: an operator may have put the object back.
        r.filter(x -> x.status().finished() && x.damaged() == null).ifPresent(x -> known.put(timestamp, x));
        return r;
    }

    /**
     * The backup's record: its status record, or for a backup made by the CLI (which writes none)
     * one made from its manifest. One damaged object never hides the others: a damaged status
     * record is rebuilt from the manifest (with a warning), and a backup whose manifest is damaged
     * is listed as Failed and {@code damaged}, named in the log.
     */
    private Optional<BackupRecord> read(String timestamp) {
        String statusProblem = null;
        try {
            BackupRecord r = Json.read(repository.getSealed(repository.layout().status(timestamp)), BackupRecord.class,
                    "status record of backup " + timestamp);
            if (r.status() == null || !timestamp.equals(r.timestamp())) {
                throw new CorruptDataException("status record of backup " + timestamp + " has the wrong shape (no status, or another timestamp)");
            }
            return Optional.of(r);
        } catch (ObjectNotFoundException e) {
            // A backup made by the CLI has a manifest and no status record.
        } catch (CorruptDataException | RepositoryException e) {
            statusProblem = e.getMessage();
            warnOnce("backup " + timestamp + ": " + statusProblem);
        }
        if (!repository.store().exists(repository.layout().manifest(timestamp))) {
            return statusProblem == null ? Optional.empty()
                    : Optional.of(BackupRecord.damaged(url(repository.namespace(), timestamp), repository.namespace(), timestamp, statusProblem));
        }
        Manifest m;
        try {
            m = repository.readManifest(timestamp);
        } catch (CorruptDataException | RepositoryException e) {
            warnOnce("backup " + timestamp + " is listed as damaged: " + e.getMessage());
            return Optional.of(BackupRecord.damaged(url(repository.namespace(), timestamp), repository.namespace(), timestamp, e.getMessage()));
        }
        BackupRecord r = new BackupRecord(url(repository.namespace(), timestamp), repository.namespace(), JobStatus.Success, timestamp,
                null, m.startedAt(), m.finishedAt(), null, List.copyOf(m.components().keySet()), null, null, m.warnings(), null,
                m.platformVersion(), m.windows(), null, null);
        return Optional.of(statusProblem == null ? r : r.warn("its status record is damaged; this record was rebuilt from the manifest ("
                + statusProblem + ")"));
    }

    /**
     * Every backup of the namespace, newest first. Records not cached yet (all of them, on the
     * first call after a start) are read {@link #READERS} at a time: on S3 each is a round trip,
     * and a year of two-hourly backups is thousands of them.
     */
    public List<BackupRecord> list() {
        List<String> timestamps = timestamps();
        List<String> unknown = timestamps.stream().filter(ts -> !known.containsKey(ts)).toList();
        if (unknown.size() > 1) {
            Parallel.forEach("athena-records", READERS, unknown, this::find);
        }
        List<BackupRecord> out = new ArrayList<>();
        for (String ts : timestamps) {
            find(ts).ifPresent(out::add);
        }
        return out;
    }

    /** The newest backup: one record read, not the whole list. */
    public Optional<BackupRecord> latest() {
        for (String ts : timestamps()) {
            Optional<BackupRecord> r = find(ts);
            if (r.isPresent()) {
                return r;
            }
        }
        return Optional.empty();
    }

    static final int READERS = 16;

    /** The backups' timestamps, newest first; forgets cached records of deleted backups. */
    private List<String> timestamps() {
        List<String> folders = repository.store().listFolders(repository.layout().namespaceFolder());
        known.keySet().retainAll(folders);
        return folders.stream().filter(RepositoryLayout::isTimestamp).sorted(Comparator.reverseOrder()).toList();
    }


    /** Deletes a backup: its manifest first, so it stops existing, then the rest of its folder. */
    public void delete(String timestamp) {
        repository.deleteManifest(timestamp);
        for (StoredObject o : repository.store().list(repository.layout().backupFolder(timestamp))) {
            repository.store().delete(o.key());
        }
        known.remove(timestamp);
    }

    // ---- restores ----------------------------------------------------------------------------

    @Override
    public void save(RestoreRecord record) {
        repository.putSealed(repository.layout().restoreRecord(record.timestamp(), record.restoreId()), Json.write(record));
        if (record.status().finished()) {
            runningRestores.computeIfPresent(record.timestamp(), (ts, r) -> r.restoreId().equals(record.restoreId()) ? null : r);
        } else {
            runningRestores.put(record.timestamp(), record);
        }
    }

    /** Records {@code failed}, a restore the shutdown stopped, unless this process has recorded its end already. */
    public void saveInterrupted(RestoreRecord failed) {
        RestoreRecord last = runningRestores.get(failed.timestamp());
        if (last != null && last.restoreId().equals(failed.restoreId())) {
            save(failed);
        }
    }

    /** Stores a restore's disaster-recovery report beside its record, as JSON and HTML. */
    @Override
    public void saveReport(RestoreRecord record, byte[] json, String html) {
        RepositoryLayout layout = repository.layout();
        repository.putSealed(layout.restoreReportJson(record.timestamp(), record.restoreId()), json);
        repository.putSealed(layout.restoreReportHtml(record.timestamp(), record.restoreId()), html.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A restore's record by its id, or the newest from that backup when {@code restoreId} is null. */
    public Optional<RestoreRecord> restore(String timestamp, String restoreId) {
        if (restoreId == null) {
            return latestRestore(timestamp);
        }
        RestoreRecord running = runningRestores.get(timestamp);
        if (running != null && running.restoreId().equals(restoreId)) {
            return Optional.of(live(running));
        }
        try {
            return Optional.of(Json.read(repository.getSealed(repository.layout().restoreRecord(timestamp, restoreId)), RestoreRecord.class, "restore record"));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (CorruptDataException | RepositoryException e) {
            throw new NotFoundException("the record of restore " + restoreId + " is damaged: " + e.getMessage());
        }
    }

    /** The newest restore made here from backup {@code timestamp}. */
    public Optional<RestoreRecord> latestRestore(String timestamp) {
        RestoreRecord running = runningRestores.get(timestamp);
        if (running != null) {
            return Optional.of(live(running));
        }
        List<StoredObject> found = repository.store().list(repository.layout().restoreFolder(timestamp)).stream()
                .filter(o -> RepositoryLayout.isRestoreRecord(o.key())).toList();
        for (int i = found.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(Json.read(repository.getSealed(found.get(i).key()), RestoreRecord.class, "restore record"));
            } catch (ObjectNotFoundException e) {
                // deleted meanwhile: try the one before
            } catch (CorruptDataException | RepositoryException e) {
                warnOnce("skipping damaged restore record " + found.get(i).key() + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Every restore made into this namespace, newest first; one this process is running with its progress. */
    public List<RestoreRecord> restores() {
        List<RestoreRecord> out = new ArrayList<>();
        for (RestoreRecord r : allRestores()) {
            RestoreRecord running = runningRestores.get(r.timestamp());
            out.add(running != null && running.restoreId().equals(r.restoreId()) ? live(running) : r);
        }
        out.sort(Comparator.comparing(RestoreRecord::restoreId).reversed());
        return out;
    }

    /**
     * Finished restore records read before, by their key: they never change, and the dashboard and
     * {@code restore get} list them every few seconds (on S3 a GET each). The listing still decides
     * which exist.
     */
    private final Map<String, RestoreRecord> finishedRestores = new ConcurrentHashMap<>();

    /** Every restore record of this namespace (for the crash recovery at start-up, and the list of restores). */
    public List<RestoreRecord> allRestores() {
        List<RestoreRecord> out = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (StoredObject o : repository.store().list(repository.layout().restoresFolder())) {
            if (!RepositoryLayout.isRestoreRecord(o.key())) {
                continue;
            }
            listed.add(o.key());
            RestoreRecord cached = finishedRestores.get(o.key());
            if (cached != null) {
                out.add(cached);
                continue;
            }
            try {
                RestoreRecord r = Json.read(repository.getSealed(o.key()), RestoreRecord.class, "restore record");
                if (r.status().finished()) {
                    finishedRestores.put(o.key(), r);
                }
                out.add(r);
            } catch (ObjectNotFoundException e) {
                // gone meanwhile
            } catch (CorruptDataException | RepositoryException e) {
                warnOnce("skipping damaged restore record " + o.key() + ": " + e.getMessage());
            }
        }
        finishedRestores.keySet().retainAll(listed);
        return out;
    }
}
