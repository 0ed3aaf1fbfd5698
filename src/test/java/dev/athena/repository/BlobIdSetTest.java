package dev.athena.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BlobIdSetTest {
    @Test
    void holdsWhatAHashSetHoldsAcrossBlocksAndGrowthAndNumbersIdsInOrder() {
        BlobIdSet set = new BlobIdSet();
        Set<BlobId> reference = new HashSet<>();
        List<BlobId> order = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[BlobId.LENGTH];
            random.nextBytes(bytes);
            BlobId id = BlobId.fromBytes(bytes);
            assertThat(set.add(id)).isEqualTo(order.size());
            order.add(id);
            reference.add(id);
            if (i % 7 == 0) {
                BlobId again = order.get(random.nextInt(order.size()));
                assertThat(set.add(again)).as("an id added twice keeps its number").isEqualTo(order.indexOf(again));
            }
        }
        assertThat(set.size()).isEqualTo(reference.size());
        for (int n = 0; n < order.size(); n += 97) {
            assertThat(set.get(n)).isEqualTo(order.get(n));
            assertThat(set.indexOf(order.get(n))).isEqualTo(n);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(set.contains(BlobId.of(("absent " + i).getBytes()))).isFalse();
        }
        set.clear();
        assertThat(set.size()).isZero();
        assertThat(set.contains(order.get(0))).isFalse();
    }
}
