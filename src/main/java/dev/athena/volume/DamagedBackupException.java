package dev.athena.volume;

import java.util.List;

/** A backup's data is not all intact; nothing was written. */
public class DamagedBackupException extends RuntimeException {
    private final List<String> problems;

    public DamagedBackupException(List<String> problems) {
        super("backup is damaged, nothing was restored: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
