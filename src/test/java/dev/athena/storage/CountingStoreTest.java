package dev.athena.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountingStoreTest {
    @TempDir
    Path tmp;

    @Test
    void countsEachKindOfRequestAndTheBytesEachWayBelowTheRetriesAndReadBacks() throws Exception {
        CountingStore counting = new CountingStore(new LocalStore(tmp));
        ObjectStore store = RetryingStore.standard(new ReadBackStore(counting));
        store.put("a/one", new byte[100]);
        store.put("a/two", new byte[1000], 10);
        assertThat(store.get("a/one")).hasSize(100);
        assertThat(store.getRange("a/one", 10, 20)).hasSize(20);
        try (var in = store.open("a/two")) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
        assertThat(store.exists("a/one")).isTrue();
        assertThat(store.list("a/")).hasSize(2);
        store.delete("a/one");

        CountingStore.Requests counts = CountingStore.countsOf(store);
        assertThat(CountingStore.in(store)).isSameAs(counting);
        assertThat(counts.put()).isEqualTo(2);
        assertThat(counts.bytesUp()).isEqualTo(110);
        assertThat(counts.delete()).isEqualTo(1);
        assertThat(counts.list()).isEqualTo(1);
        // The read-back check of each write is a request too, and is counted: the bill counts it.
        assertThat(counts.get()).isGreaterThanOrEqualTo(3 + 2);
        assertThat(counts.bytesDown()).isGreaterThanOrEqualTo(100 + 20 + 10);
        assertThat(counts.head()).isGreaterThanOrEqualTo(1);

        CountingStore.Requests later = CountingStore.countsOf(store);
        store.put("b", new byte[5]);
        assertThat(CountingStore.countsOf(store).minus(later).put()).isEqualTo(1);
        assertThat(CountingStore.countsOf(new LocalStore(tmp))).isEqualTo(CountingStore.Requests.NONE);
        assertThat(counts.toString()).startsWith(counts.total() + " requests (2 PUT");
    }
}
