package dev.athena.cli;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.concurrent.Sizes;
import dev.athena.maintenance.BackupContents;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "find", mixinStandardHelpOptions = true,
        description = {"Which backups hold files matching a pattern: a glob on the name (*.db) or, with a slash, on the path in its component"
                + " (projects/*/graph.db, **/config.yaml).", "Newest backups first."})
final class FindCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Mixin
    OutputOption output;

    @Parameters(paramLabel = "PATTERN", description = "A glob: * within a name, ** across folders, ? one character.")
    String pattern;

    @Option(names = "--timestamp", description = "Only these backups; repeat for several. Default: all.")
    List<String> timestamps;

    record Found(String timestamp, String component, String path, String type, Long size) {
    }

    @Override
    public Integer call() {
        if (timestamps != null) {
            timestamps.forEach(RepositoryLayout::checkTimestamp);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        boolean onPath = pattern.contains("/");
        Repository repository = repo.openReadOnly();
        List<String> backups = new ArrayList<>(timestamps != null ? timestamps : repository.timestamps());
        java.util.Collections.reverse(backups);
        List<Found> found = new ArrayList<>();
        Table table = new Table("BACKUP", "TYPE", "SIZE", "PATH");
        BackupContents contents = new BackupContents(repository);
        for (String ts : backups) {
            contents.list(ts, null, null, item -> {
                if (item.path().equals("/")) {
                    return;
                }
                Path p = Path.of(item.path());
                if (matcher.matches(onPath ? p : p.getFileName())) {
                    found.add(new Found(ts, item.component(), item.path(), item.type(), item.size()));
                    table.row(ts, item.type(), item.size() == null ? "" : Sizes.bytes(item.size()), item.component() + "/" + item.path());
                }
            });
        }
        if (output.json()) {
            OutputOption.printJson(found);
        } else if (found.isEmpty()) {
            System.out.println("no file matching " + pattern + " in " + Sizes.count(backups.size(), "backup"));
        } else {
            System.out.print(table);
        }
        return 0;
    }
}
