package dev.athena.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** The known name a mistyped one was most likely meant to be, so an error can say "did you mean ...". */
public final class Spelling {
    private Spelling() {
    }

    /**
     * The known name closest to {@code given} (ignoring case), if it is close enough to be a typo:
     * at most a third of its letters differ (a missing, extra, swapped or wrong letter each count one).
     */
    public static Optional<String> nearest(String given, Collection<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(g, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best == null || bestDistance > Math.max(1, Math.min(g.length(), best.length()) / 3)) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** ", did you mean 'x'?" or "" when nothing is close. */
    public static String hint(String given, Collection<String> known) {
        return nearest(given, known).map(n -> "; did you mean '" + n + "'?").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
