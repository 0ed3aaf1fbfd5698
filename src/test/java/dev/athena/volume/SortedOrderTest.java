package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** FileNames.sortedOrder: the order a backup visits a folder's entries in (section 8: children sorted by unsigned bytes). */
class SortedOrderTest {
    @Test
    void namesComeInUnsignedByteOrderForEverySizeAndEqualNamesKeepTheirPlaces() {
        Random random = new Random(11);
        for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 100, 1000, 1025}) {
            byte[][] names = new byte[n][];
            for (int i = 0; i < n; i++) {
                // Short names from a small alphabet with bytes above 0x7f: repeats and prefixes, and bytes a signed compare misorders.
                names[i] = new byte[random.nextInt(4)];
                for (int j = 0; j < names[i].length; j++) {
                    names[i][j] = (byte) (random.nextBoolean() ? 'a' + random.nextInt(3) : 0xe0 + random.nextInt(3));
                }
            }
            Integer[] expected = new Integer[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
            }
            Arrays.sort(expected, (a, b) -> Arrays.compareUnsigned(names[a], names[b]));

            int[] order = FileNames.sortedOrder(names);

            assertThat(order).as("%d names", n).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
        }
    }
}
