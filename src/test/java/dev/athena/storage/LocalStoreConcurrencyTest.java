package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder emptied by one writer's delete is removed (so deleted backups leave no trace) while
 * another writer is about to put a file in it, as two processes taking and dropping locks do.
 * Every put must still land: found when a CI run failed a backup with "cannot write
 * .../locks/<id>: .../locks" (NoSuchFileException).
 */
class LocalStoreConcurrencyTest {
    @TempDir
    Path tmp;

    @Test
    void aPutIntoAFolderThatAConcurrentDeleteEmptiesAndRemovesStillLands() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                // Each writer its own store, as separate processes have.
                LocalStore store = new LocalStore(tmp);
                writers.add(pool.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 3000; i++) {
                        String key = "repository/locks/w" + writer + "-" + i;
                        store.put(key, ("lock " + i).getBytes(StandardCharsets.UTF_8));
                        assertThat(store.get(key)).asString(StandardCharsets.UTF_8).isEqualTo("lock " + i);
                        store.delete(key);
                        done++;
                    }
                    return done;
                }));
            }
            for (Future<Integer> f : writers) {
                assertThat(f.get()).isEqualTo(3000);
            }
            assertThat(new LocalStore(tmp).list("repository/locks/")).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
