package dev.athena.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.concurrent.Sizes;

/**
 * A component's numbers as a sentence ("2 files, 1 folder, 6 B, 1 unchanged, in 0.1 s") for the
 * CLI's tables and lines; {@code -o json} keeps them exact. A count that is 0 and says nothing
 * new (no symlinks, no warnings) is left out.
 */
final class StatsText {
    /** What each known number is called, singular and plural, in the order a person reads them; null plural: a size. */
    private record Name(String singular, String plural, boolean whenZero) {
    }

    private static final Map<String, Name> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("databases", new Name("database", "databases", true));
        NAMES.put("tables", new Name("table", "tables", true));
        NAMES.put("streamedTables", new Name("table streamed on its own", "tables streamed on their own", false));
        NAMES.put("rows", new Name("row", "rows", false));
        NAMES.put("repositories", new Name("repository", "repositories", true));
        NAMES.put("refs", new Name("ref", "refs", false));
        NAMES.put("refsReset", new Name("ref reset", "refs reset", false));
        NAMES.put("keys", new Name("key", "keys", true));
        NAMES.put("preservedKeys", new Name("key kept as it was", "keys kept as they were", false));
        NAMES.put("files", new Name("file", "files", true));
        NAMES.put("dirs", new Name("folder", "folders", false));
        NAMES.put("symlinks", new Name("symlink", "symlinks", false));
        NAMES.put("hardlinks", new Name("hard link", "hard links", false));
        NAMES.put("bytes", null);
        NAMES.put("databaseBytes", null);
        NAMES.put("filesUnchanged", new Name("unchanged since the last backup", "unchanged since the last backup", false));
        NAMES.put("bytesRead", null);
        NAMES.put("removed", new Name("removed", "removed", false));
        NAMES.put("skipped", new Name("skipped", "skipped", false));
        NAMES.put("warnings", new Name("warning", "warnings", false));
    }

    private StatsText() {
    }

    static String of(Map<String, Long> stats) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Name> known : NAMES.entrySet()) {
            Long n = stats.get(known.getKey());
            if (n == null) {
                continue;
            }
            Name name = known.getValue();
            switch (known.getKey()) {
                case "bytes" -> parts.add(Sizes.bytes(n));
                case "databaseBytes" -> parts.add(Sizes.bytes(n) + " in the databases");
                case "bytesRead" -> {
                    if (!n.equals(stats.get("bytes"))) {
                        parts.add(Sizes.bytes(n) + " read");
                    }
                }
                case "filesUnchanged", "removed", "skipped" -> {
                    if (n > 0) {
                        parts.add(String.format(java.util.Locale.ROOT, "%,d %s", n, name.singular()));
                    }
                }
                default -> {
                    if (n > 0 || name.whenZero()) {
                        parts.add(Sizes.count(n, name.singular(), name.plural()));
                    }
                }
            }
        }
        stats.forEach((key, n) -> {
            if (!NAMES.containsKey(key) && !key.equals("durationMs")) {
                parts.add(key + " " + n);
            }
        });
        if (stats.containsKey("durationMs")) {
            parts.add("in " + Sizes.duration(stats.get("durationMs")));
        }
        return String.join(", ", parts);
    }
}
