package dev.athena.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.concurrent.Sizes;
import dev.athena.maintenance.BackupContents;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "What changed between two backups: files and folders added (+), removed (-) and changed (M), and the row counts of"
                + " PostgreSQL's tables.")
final class DiffCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Mixin
    OutputOption output;

    @Parameters(index = "0", paramLabel = "BEFORE", description = "The older backup.")
    String before;

    @Parameters(index = "1", paramLabel = "AFTER", description = "The newer backup.")
    String after;

    @Override
    public Integer call() {
        RepositoryLayout.checkTimestamp(before);
        RepositoryLayout.checkTimestamp(after);
        List<BackupContents.Change> changes = new ArrayList<>();
        long[] counts = new long[3];
        new BackupContents(repo.openReadOnly()).diff(before, after, c -> {
            if (output.json()) {
                changes.add(c);
            } else {
                String mark = switch (c.change()) {
                    case "added" -> "+";
                    case "removed" -> "-";
                    default -> "M";
                };
                boolean rows = c.path().startsWith("rows of ");
                String sizes = c.change().equals("changed") ? "  (" + size(c.sizeBefore(), rows) + " -> " + size(c.sizeAfter(), rows) + ")" : "";
                System.out.println(mark + " " + c.component() + (rows ? ": " + c.path() : "/" + (c.path().equals("/") ? "" : c.path())) + sizes);
            }
            counts[c.change().equals("added") ? 0 : c.change().equals("removed") ? 1 : 2]++;
        });
        if (output.json()) {
            OutputOption.printJson(changes);
        } else {
            System.out.println(counts[0] + counts[1] + counts[2] == 0 ? "no changes between " + before + " and " + after
                    : counts[0] + " added, " + counts[1] + " removed, " + counts[2] + " changed");
        }
        return 0;
    }

    private static String size(Long n, boolean rows) {
        return n == null ? "-" : rows ? Sizes.count(n, "row") : Sizes.bytes(n);
    }
}
