package dev.athena.cli;

import java.util.concurrent.Callable;

import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the backups of a namespace, oldest first.")
final class ListCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Override
    public Integer call() {
        Repository repository = repo.openReadOnly();
        for (String ts : repository.timestamps()) {
            Manifest m = repository.readManifest(ts);
            System.out.println(ts + "  components=" + m.components().keySet() + "  warnings=" + m.warnings().size());
        }
        return 0;
    }
}
