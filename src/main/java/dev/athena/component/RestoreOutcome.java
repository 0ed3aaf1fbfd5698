package dev.athena.component;

import java.util.List;
import java.util.Map;

/** What restoring one component did: counts, and notes an operator must read (where a new database instance is, say). */
public record RestoreOutcome(Map<String, Long> stats, List<String> notes) {
    public static RestoreOutcome of(Map<String, Long> stats) {
        return new RestoreOutcome(stats, List.of());
    }
}
