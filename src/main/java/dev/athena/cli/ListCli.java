package dev.athena.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.storage.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the backups of a namespace, oldest first.")
final class ListCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        ObjectStore store = repo.storage().open();
        if (!Repository.exists(store, repo.namespace())) {
            // Nothing backed up here yet is an answer, not an error: a script listing before its first backup gets an empty list.
            if (output.json()) {
                OutputOption.printJson(List.of());
            } else {
                System.out.println("no backups of namespace '" + repo.namespace() + "' in " + repo.storage());
            }
            return 0;
        }
        Repository repository = repo.openReadOnly();
        List<Map<String, Object>> rows = new ArrayList<>();
        Table table = new Table("TIMESTAMP", "COMPONENTS", "STARTED", "FINISHED", "WARNINGS");
        for (String ts : repository.timestamps()) {
            Manifest m = repository.readManifest(ts);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("timestamp", ts);
            row.put("components", List.copyOf(m.components().keySet()));
            row.put("startedAt", m.startedAt());
            row.put("finishedAt", m.finishedAt());
            row.put("platformVersion", m.platformVersion());
            row.put("warnings", m.warnings().size());
            rows.add(row);
            table.row(ts, String.join(",", m.components().keySet()), m.startedAt(), m.finishedAt(), m.warnings().size());
        }
        if (output.json()) {
            OutputOption.printJson(rows);
        } else {
            System.out.print(table);
        }
        return 0;
    }
}
