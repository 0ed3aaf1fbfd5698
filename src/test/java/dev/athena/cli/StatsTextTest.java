package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatsTextTest {
    @Test
    void aComponentsNumbersReadAsASentenceWithPluralsAndHumanSizes() {
        Map<String, Long> volume = new LinkedHashMap<>(Map.of("dirs", 1L, "files", 1L, "symlinks", 0L, "hardlinks", 0L, "bytes", 6L,
                "bytesRead", 6L, "filesUnchanged", 0L, "skipped", 0L, "warnings", 0L, "durationMs", 63L));
        assertThat(StatsText.of(volume)).isEqualTo("1 file, 1 folder, 6 B, in 0.1 s");
        assertThat(StatsText.of(Map.of("files", 12_345L, "dirs", 3L, "bytes", 1_395_864_371L, "bytesRead", 1024L, "filesUnchanged", 12_000L,
                "warnings", 2L, "durationMs", 125_000L)))
                .isEqualTo("12,345 files, 3 folders, 1.3 GiB, 12,000 unchanged since the last backup, 1.0 KiB read, 2 warnings, in 2 min 5 s");
        assertThat(StatsText.of(Map.of("databases", 1L, "tables", 1L, "rows", 0L, "streamedTables", 0L)))
                .as("a table that is one, rows left out when none").isEqualTo("1 database, 1 table");
        assertThat(StatsText.of(Map.of("newThing", 7L))).isEqualTo("newThing 7");
    }
}
