package dev.athena.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A pool fed one item at a time: items run while the rest are still being found, and a failure reaches the feeder. */
class FeedTest {
    @Test
    void everyItemRunsAndTheFirstRunsBeforeTheLastIsSubmitted() throws Exception {
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        CountDownLatch firstRan = new CountDownLatch(1);
        try (Parallel.Feed<Integer> feed = Parallel.feed("test-feed", 3, i -> {
            done.add(i);
            firstRan.countDown();
        })) {
            feed.submit(0);
            // The feeder goes on only once item 0 has run: it did not wait for the last submit to start.
            assertThat(firstRan.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < 100; i++) {
                feed.submit(i);
            }
            feed.finish();
        }
        assertThat(done).hasSize(100);
    }

    @Test
    void theFirstFailureIsRethrownByFinishAndItemsNotYetStartedAreSkipped() {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        Parallel.Feed<Integer> feed = Parallel.feed("test-feed", 1, i -> {
            ran.incrementAndGet();
            if (i == 0) {
                failed.countDown();
                throw new IllegalStateException("pack 0 unreadable");
            }
        });
        try (feed) {
            feed.submit(0);
            try {
                assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            for (int i = 1; i < 10; i++) {
                feed.submit(i);
            }
            assertThatThrownBy(feed::finish).isInstanceOf(IllegalStateException.class).hasMessage("pack 0 unreadable");
        }
        // One thread: items 1-9 were queued after item 0 had failed, so none of them ran.
        assertThat(ran.get()).isEqualTo(1);
    }

    @Test
    void closingWithoutFinishStopsWhatRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        try (Parallel.Feed<Integer> feed = Parallel.feed("test-feed", 1, i -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        })) {
            feed.submit(0);
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        }
        // close() returned, so the task has stopped: it was interrupted, not left running.
        assertThat(interrupted.get()).isEqualTo(1);
    }
}
