package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.Timestamps;
import dev.athena.config.BackupUrls;
import dev.athena.config.StorageConfig;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;

/** The records as a freshly started service sees it: nothing cached, every record read from the location. */
class JobRecordsTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshCatalogListsEveryRecordNewestFirstAndFindsTheLatestAlone() throws Exception {
        LocalStore store = new LocalStore(tmp);
        BackupUrls urls = new BackupUrls(StorageConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.toString())));
        JobRecords writer = new JobRecords(Repository.open(store, "app", null, true), urls);
        List<String> written = new ArrayList<>();
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
            String ts = Timestamps.of(t.plusSeconds(7200L * i));
            JobStatus status = i == 39 ? JobStatus.Running : i % 7 == 0 ? JobStatus.Failed : JobStatus.Success;
            writer.save(new BackupRecord(writer.url("app", ts), "app", status, ts, null, t.toString(), null, null, null, null, null, null,
                    status == JobStatus.Failed ? "disk full" : null, "3.4.1", null, null, null));
            written.add(0, ts);
        }

        JobRecords fresh = new JobRecords(Repository.open(store, "app", null, false), urls);
        List<BackupRecord> listed = fresh.list();
        assertThat(listed).extracting(BackupRecord::timestamp).containsExactlyElementsOf(written);
        assertThat(listed.get(0).status()).isEqualTo(JobStatus.Running);
        assertThat(listed).filteredOn(r -> r.status() == JobStatus.Failed).allMatch(r -> "disk full".equals(r.error())).hasSize(6);

        JobRecords another = new JobRecords(Repository.open(store, "app", null, false), urls);
        assertThat(another.latest()).map(BackupRecord::timestamp).contains(written.get(0));

        fresh.delete(written.get(5));
        assertThat(fresh.list()).extracting(BackupRecord::timestamp).doesNotContain(written.get(5)).hasSize(39);
    }

    /** A client polling the status of a job this process runs is answered from memory; the store still says the same. */
    @Test
    void theRecordOfARunningJobIsAnsweredWithoutReadingTheStoreAndItsEndFromTheStore() {
        dev.athena.storage.CountingStore store = new dev.athena.storage.CountingStore(new LocalStore(tmp));
        BackupUrls urls = new BackupUrls(StorageConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.toString())));
        JobRecords records = new JobRecords(Repository.open(store, "app", null, true), urls);
        String ts = "2026-11-29t02-00-00";
        RestoreRequest request = new RestoreRequest(ts, "app", false, false, true, false, true, java.util.Set.of(), false, false);
        RestoreRecord running = RestoreRecord.running(records.url("app", ts), "app", ts, "app", ts + "-001", "2026-11-29T03:00:00Z", request, "3.4.1", "3.4.1");
        records.save(running);
        BackupRecord backup = new BackupRecord(records.url("app", ts), "app", JobStatus.Running, ts, null, "2026-11-29T02:00:00Z", null, null, null,
                null, null, null, null, "3.4.1", null, null, null);
        records.save(backup);

        dev.athena.storage.CountingStore.Requests before = store.counts();
        for (int i = 0; i < 20; i++) {
            assertThat(records.latestRestore(ts)).contains(running);
            assertThat(records.restore(ts, null)).contains(running);
            assertThat(records.find(ts)).contains(backup);
        }
        dev.athena.storage.CountingStore.Requests polled = store.counts().minus(before);
        assertThat(polled.get() + polled.list() + polled.head()).isZero();
        // What memory answered is what the store holds.
        JobRecords fresh = new JobRecords(Repository.open(new LocalStore(tmp), "app", null, false), urls);
        assertThat(fresh.latestRestore(ts)).contains(running);

        RestoreRecord ended = running.failedByInterruption("2026-11-29T03:05:00Z", "interrupted");
        records.save(ended);
        before = store.counts();
        assertThat(records.latestRestore(ts)).map(RestoreRecord::status).contains(JobStatus.Failed);
        assertThat(store.counts().minus(before).list()).isPositive();
    }

    /** A job the shutdown stops after its end was recorded (a backup's retention sweep runs after its Success) keeps that end. */
    @Test
    void theShutdownDoesNotTurnARecordedEndIntoAFailure() {
        LocalStore store = new LocalStore(tmp);
        BackupUrls urls = new BackupUrls(StorageConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.toString())));
        JobRecords records = new JobRecords(Repository.open(store, "app", null, true), urls);
        String ts = "2026-11-29t02-00-00";
        BackupRecord running = new BackupRecord(records.url("app", ts), "app", JobStatus.Running, ts, null, "2026-11-29T02:00:00Z", null, null, null,
                null, null, null, null, "3.4.1", null, null, null);
        records.save(running);
        records.save(running.finish(JobStatus.Success, "2026-11-29T02:00:05Z", 5000, List.of(), 0L, 0L, null, null));
        records.saveInterrupted(running.finish(JobStatus.Failed, "2026-11-29T02:00:06Z", 0, null, null, null, null, "interrupted"));
        assertThat(records.find(ts)).map(BackupRecord::status).contains(JobStatus.Success);
        assertThat(new JobRecords(Repository.open(store, "app", null, false), urls).find(ts)).map(BackupRecord::status).contains(JobStatus.Success);

        String other = "2026-11-29t04-00-00";
        BackupRecord stopped = new BackupRecord(records.url("app", other), "app", JobStatus.Running, other, null, "2026-11-29T04:00:00Z", null,
                null, null, null, null, null, null, "3.4.1", null, null, null);
        records.save(stopped);
        records.saveInterrupted(stopped.finish(JobStatus.Failed, "2026-11-29T04:00:06Z", 0, null, null, null, null, "interrupted"));
        assertThat(new JobRecords(Repository.open(store, "app", null, false), urls).find(other)).map(BackupRecord::status).contains(JobStatus.Failed);

        RestoreRequest request = new RestoreRequest(ts, "app", false, false, true, false, true, java.util.Set.of(), false, false);
        RestoreRecord restore = RestoreRecord.running(records.url("app", ts), "app", ts, "app", ts + "-001", "2026-11-29T03:00:00Z", request, "3.4.1", "3.4.1");
        records.save(restore);
        records.saveInterrupted(restore.failedByInterruption("2026-11-29T03:05:00Z", "interrupted"));
        assertThat(records.latestRestore(ts)).map(RestoreRecord::status).contains(JobStatus.Failed);
        RestoreRecord second = RestoreRecord.running(records.url("app", ts), "app", ts, "app", ts + "-002", "2026-11-29T03:10:00Z", request, "3.4.1", "3.4.1");
        records.save(second);
        RestoreRecord ended = second.failedByInterruption("2026-11-29T03:15:00Z", "disk full");
        records.save(ended);
        records.saveInterrupted(second.failedByInterruption("2026-11-29T03:16:00Z", "interrupted"));
        assertThat(records.restore(ts, ts + "-002")).map(RestoreRecord::error).contains("disk full");
    }
}
