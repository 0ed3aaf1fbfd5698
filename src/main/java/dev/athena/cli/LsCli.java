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

@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "What a backup holds, without restoring it: every component's files and folders, or one component's, or what lies under a path.")
final class LsCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Mixin
    OutputOption output;

    @Parameters(index = "0", paramLabel = "TIMESTAMP", description = "The backup (athena list shows them).")
    String timestamp;

    @Parameters(index = "1", arity = "0..1", paramLabel = "COMPONENT[/PATH]", description = "Only this component, or what lies under PATH in it.")
    String where;

    @Override
    public Integer call() {
        RepositoryLayout.checkTimestamp(timestamp);
        String component = where == null ? null : where.split("/", 2)[0];
        String under = where == null || !where.contains("/") ? null : where.split("/", 2)[1];
        List<BackupContents.Item> items = new ArrayList<>();
        Table table = new Table("TYPE", "MODE", "SIZE", "MODIFIED", "PATH");
        new BackupContents(repo.openReadOnly()).list(timestamp, component, under, item -> {
            if (output.json()) {
                items.add(item);
            } else {
                table.row(item.type(), String.format("%04o", item.mode()), item.size() == null ? "" : Sizes.bytes(item.size()),
                        item.modified().replaceAll("\\.\\d+Z$", "Z"), item.component() + (item.path().equals("/") ? "/" : "/" + item.path())
                                + (item.target() == null ? "" : " -> " + item.target()));
            }
        });
        if (output.json()) {
            OutputOption.printJson(items);
        } else if (table.isEmpty() && under != null) {
            throw new IllegalArgumentException("backup " + timestamp + ", component " + component + " holds no " + under);
        } else {
            System.out.print(table);
        }
        return 0;
    }
}
