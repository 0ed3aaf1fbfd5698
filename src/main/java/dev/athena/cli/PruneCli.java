package dev.athena.cli;

import java.util.concurrent.Callable;

import dev.athena.maintenance.PruneCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "prune", mixinStandardHelpOptions = true, description = "Delete data that no existing backup refers to.")
final class PruneCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Override
    public Integer call() {
        System.out.println(new PruneCommand(repo.open(false)).call());
        return 0;
    }
}
