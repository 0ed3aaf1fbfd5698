package dev.athena.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import dev.athena.storage.StoredObject;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.ServiceFixture;
import dev.athena.testing.Trees;

/**
 * A damaged index file is skipped, not fatal: the blobs it listed are found from the packs' own
 * headers, restores and verify succeed, prune deletes nothing that is used, and
 * {@code athena repair index} writes a new index.
 */
class DamagedIndexTest {
    @TempDir
    Path tmp;

    /** Truncates every index file written by the second backup (those not present after the first). */
    private static void truncate(Path file) throws Exception {
        byte[] data = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(data, data.length / 2));
    }

    @Test
    void restoresVerifyPruneAndRepairWithATruncatedIndexFile() throws Exception {
        Path a = Trees.randomFiles(tmp.resolve("a"), 5, 300_000, 1);
        Path b = Trees.randomFiles(tmp.resolve("b"), 5, 300_000, 2);
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        new BackupCommand(Repository.open(store, "app", "key-for-the-test", true)).volume("metagraph", a).timestamp("2024-01-01t00-00-00").call();
        List<String> before = store.list("app/repository/index/").stream().map(StoredObject::key).toList();
        new BackupCommand(Repository.open(store, "app", "key-for-the-test", false)).volume("metagraph", b).timestamp("2024-01-01t01-00-00").call();
        List<String> second = store.list("app/repository/index/").stream().map(StoredObject::key).filter(k -> !before.contains(k)).toList();
        assertThat(second).hasSize(1);
        truncate(store.root().resolve(second.get(0)));

        Repository damaged = Repository.open(store, "app", "key-for-the-test", false);
        assertThat(damaged.damagedIndexFiles()).containsExactly(second.get(0));
        Path restored = tmp.resolve("restored-b");
        new RestoreCommand(damaged, "2024-01-01t01-00-00").volume("metagraph", restored).call();
        Trees.assertSameTree(b, restored);
        assertThat(new VerifyCommand(Repository.open(store, "app", "key-for-the-test", false)).call().problems()).isEmpty();

        // Prune with the damaged index in place rebuilds it first: the second backup's packs are not taken for orphans.
        new PruneCommand(Repository.open(store, "app", "key-for-the-test", false)).call();
        Path again = tmp.resolve("again-b");
        new RestoreCommand(Repository.open(store, "app", "key-for-the-test", false), "2024-01-01t01-00-00").volume("metagraph", again).call();
        Trees.assertSameTree(b, again);
        assertThat(Repository.open(store, "app", "key-for-the-test", false).damagedIndexFiles()).isEmpty();
    }

    @Test
    void athenaRepairIndexReplacesTheDamagedFile() throws Exception {
        Path a = Trees.randomFiles(tmp.resolve("a"), 3, 100_000, 3);
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        new BackupCommand(Repository.open(store, "app", null, true)).volume("metagraph", a).timestamp("2024-01-01t00-00-00").call();
        String index = store.list("app/repository/index/").get(0).key();
        Files.write(store.root().resolve(index), "{\"packs\": [{\"id\": \"zz\", \"blobs\": null}]}".getBytes());

        Path log = tmp.resolve("repair.log");
        int code = AthenaProcess.run(log, List.of(), "repair", "index", "--location", store.root().toString());
        assertThat(code).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("1 damaged index files replaced");
        Repository repaired = Repository.open(store, "app", null, false);
        assertThat(repaired.damagedIndexFiles()).isEmpty();
        assertThat(store.list("app/repository/index/")).hasSize(1)
                .allSatisfy(o -> assertThat(new String(store.get(o.key()))).doesNotContain("\"zz\""));
        Path restored = tmp.resolve("restored");
        new RestoreCommand(repaired, "2024-01-01t00-00-00").volume("metagraph", restored).call();
        Trees.assertSameTree(a, restored);
    }

    @Test
    void aRestoreThroughTheApiWithATruncatedIndexSucceedsInsteadOfA500() throws Exception {
        String ts;
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            ts = ServiceFixture.timestampOf(athena.call("POST", "/athena/api/v1/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished("/athena/api/v1/backupstatus", ts).get("status").asText()).isEqualTo("Success");
        }
        LocalStore store = new LocalStore(tmp.resolve("backups"));
        for (StoredObject o : store.list("app/repository/index/")) {
            truncate(store.root().resolve(o.key()));
        }
        try (ServiceFixture athena = new ServiceFixture(tmp)) {
            ServiceFixture.Reply r = athena.call("POST", "/athena/api/v1/ondemandrestore", "{\"timestamp\": \"" + ts + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            JsonNode done = athena.awaitFinished("/athena/api/v1/restorestatus", ts);
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("Success");
        }
    }
}
