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

/** The catalog as a freshly started service sees it: nothing cached, every record read from the location. */
class BackupCatalogTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshCatalogListsEveryRecordNewestFirstAndFindsTheLatestAlone() throws Exception {
        LocalStore store = new LocalStore(tmp);
        BackupUrls urls = new BackupUrls(StorageConfig.fromEnv(Map.of("LOCAL_BACKUP_LOCATION", tmp.toString())));
        BackupCatalog writer = new BackupCatalog(Repository.open(store, "app", null, true), urls);
        List<String> written = new ArrayList<>();
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < 40; i++) {
            String ts = Timestamps.of(t.plusSeconds(7200L * i));
            Status status = i == 39 ? Status.Running : i % 7 == 0 ? Status.Failed : Status.Success;
            writer.save(new BackupRecord(writer.url("app", ts), "app", status, ts, null, t.toString(), null, null, null, null, null, null,
                    status == Status.Failed ? "disk full" : null, "3.4.1", null, null));
            written.add(0, ts);
        }

        BackupCatalog fresh = new BackupCatalog(Repository.open(store, "app", null, false), urls);
        List<BackupRecord> listed = fresh.list();
        assertThat(listed).extracting(BackupRecord::timestamp).containsExactlyElementsOf(written);
        assertThat(listed.get(0).status()).isEqualTo(Status.Running);
        assertThat(listed).filteredOn(r -> r.status() == Status.Failed).allMatch(r -> "disk full".equals(r.error())).hasSize(6);

        BackupCatalog another = new BackupCatalog(Repository.open(store, "app", null, false), urls);
        assertThat(another.latest()).map(BackupRecord::timestamp).contains(written.get(0));

        fresh.delete(written.get(5));
        assertThat(fresh.list()).extracting(BackupRecord::timestamp).doesNotContain(written.get(5)).hasSize(39);
    }
}
