package dev.athena.component.postgres.pitr;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a byte of the write-ahead log lies: its log sequence number (LSN), the segment holding it
 * and that segment's file name, as PostgreSQL names it: timeline, then the segment number split
 * into a high and a low half, each as 8 hexadecimal digits.
 */
public final class WalPosition {
    private static final Pattern NAME = Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})");
    private static final Pattern LSN = Pattern.compile("([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})");

    private WalPosition() {
    }

    /** A segment: its timeline and number. */
    public record Segment(int timeline, long number) implements Comparable<Segment> {
        public String name(long segmentSize) {
            long perId = 0x1_0000_0000L / segmentSize;
            return String.format("%08X%08X%08X", timeline, number / perId, number % perId);
        }

        public long startLsn(long segmentSize) {
            return number * segmentSize;
        }

        @Override
        public int compareTo(Segment o) {
            int t = Integer.compare(timeline, o.timeline);
            return t != 0 ? t : Long.compare(number, o.number);
        }
    }

    /** The segment of timeline {@code timeline} that holds {@code lsn}. */
    public static Segment segmentOf(int timeline, long lsn, long segmentSize) {
        return new Segment(timeline, Long.divideUnsigned(lsn, segmentSize));
    }

    /** The segment a file name names; null when it is not a segment's name. */
    public static Segment parse(String name, long segmentSize) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        long perId = 0x1_0000_0000L / segmentSize;
        return new Segment(Integer.parseUnsignedInt(m.group(1), 16), Long.parseLong(m.group(2), 16) * perId + Long.parseLong(m.group(3), 16));
    }

    /** 0/16B3748 as PostgreSQL writes LSNs. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase();
    }

    public static long parseLsn(String text) {
        Matcher m = LSN.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a WAL position such as 0/16B3748");
        }
        return (Long.parseLong(m.group(1), 16) << 32) | Long.parseLong(m.group(2), 16);
    }
}
