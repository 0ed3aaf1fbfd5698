import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import dev.athena.backup.Timestamps;
import dev.athena.config.BackupUrls;
import dev.athena.config.StorageConfig;
import dev.athena.repository.Repository;
import dev.athena.service.JobRecords;
import dev.athena.service.BackupRecord;
import dev.athena.service.JobStatus;
import dev.athena.storage.ForwardingStore;
import dev.athena.storage.LocalStore;
import dev.athena.storage.ObjectStore;
import dev.athena.storage.StoredObject;

/**
 * The backup list right after a start, when no record is cached: N backups' status records read
 * through a store that adds a fixed delay to every request, as an S3 round trip does. Times the
 * records read one after another (how the catalog read them before), the catalog's list() and
 * its latest(), each on a fresh catalog, and prints "name seconds" lines.
 * Run: java -cp target/athena.jar bench/CatalogBench.java WORK BACKUPS DELAY_MS
 */
public class CatalogBench {
    /** Every call waits as long as a round trip to a remote store. */
    static final class RoundTrips extends ForwardingStore {
        private final long delayMs;

        RoundTrips(ObjectStore inner, long delayMs) {
            super(inner);
            this.delayMs = delayMs;
        }

        private void trip() {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public byte[] get(String key) {
            trip();
            return super.get(key);
        }

        @Override
        public boolean exists(String key) {
            trip();
            return super.exists(key);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            trip();
            return super.list(prefix);
        }

        @Override
        public List<String> listFolders(String prefix) {
            trip();
            return super.listFolders(prefix);
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long delay = Long.parseLong(args[2]);
        LocalStore local = new LocalStore(work);
        Repository writer = Repository.open(local, "app", null, true);
        BackupUrls urls = new BackupUrls(StorageConfig.fromEnv(java.util.Map.of("LOCAL_BACKUP_LOCATION", work.toString())));
        JobRecords fill = new JobRecords(writer, urls);
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            String ts = Timestamps.of(t.plusSeconds(7200L * i));
            fill.save(new BackupRecord(fill.url("app", ts), "app", JobStatus.Success, ts, null, t.toString(), t.toString(), 1000L,
                    List.of("postgres", "metagraph"), 1L, 1L, List.of(), null, "3.4.1", null, null, null));
        }
        ObjectStore remote = new RoundTrips(local, delay);

        JobRecords first = new JobRecords(Repository.open(remote, "app", null, false), urls);
        long t0 = System.nanoTime();
        List<String> folders = remote.listFolders("app/");
        for (String f : folders) {
            if (f.matches("\\d{4}-.*")) {
                first.find(f);
            }
        }
        double oneByOne = (System.nanoTime() - t0) / 1e9;

        JobRecords second = new JobRecords(Repository.open(remote, "app", null, false), urls);
        long t1 = System.nanoTime();
        int listed = second.list().size();
        double list = (System.nanoTime() - t1) / 1e9;

        JobRecords third = new JobRecords(Repository.open(remote, "app", null, false), urls);
        long t2 = System.nanoTime();
        third.latest().orElseThrow();
        double latest = (System.nanoTime() - t2) / 1e9;
        if (listed != n) {
            throw new IllegalStateException("listed " + listed + " of " + n);
        }
        System.out.printf("one_by_one %.3f%nlist %.3f%nlatest %.3f%n", oneByOne, list, latest);
        Files.walk(work).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
}
