package dev.athena.backup;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The seed's backup names: UTC, {@code yyyy-MM-dd't'HH-mm-ss}. */
public final class Timestamps {
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd't'HH-mm-ss");

    private Timestamps() {
    }

    public static String now(Clock clock) {
        return of(clock.instant());
    }

    public static String of(java.time.Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(FORMAT);
    }

    public static java.time.Instant parse(String timestamp) {
        return LocalDateTime.parse(timestamp, FORMAT).toInstant(ZoneOffset.UTC);
    }
}
