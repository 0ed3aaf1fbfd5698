package dev.athena.concurrent;

import java.util.Locale;

/** Sizes, counts and durations as a person reads them ("1.3 GiB", "1 file", "2 min 5 s"); JSON keeps the exact numbers. */
public final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /** Binary units with one decimal from KiB up: 999 B, 1.0 KiB, 1.3 GiB. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        if (Math.round(v * 10) / 10.0 >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /** "1 file", "12,345 files". */
    public static String count(long n, String singular) {
        return count(n, singular, singular + "s");
    }

    /** "1 entry", "3 entries". */
    public static String count(long n, String singular, String plural) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    /** 0.4 s, 12 s, 2 min 5 s, 1 h 02 min. */
    public static String duration(long millis) {
        if (millis < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = Math.round(millis / 1000.0);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + " min";
    }
}
