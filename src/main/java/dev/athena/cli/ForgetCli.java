package dev.athena.cli;

import java.util.concurrent.Callable;

import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forget", mixinStandardHelpOptions = true, description = "Delete one backup; its data goes at the next prune.")
final class ForgetCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Option(names = "--timestamp", required = true, description = "The backup to delete.")
    String timestamp;

    @Override
    public Integer call() {
        RepositoryLayout.checkTimestamp(timestamp);
        Repository repository = repo.open(false);
        repository.readManifest(timestamp);
        repository.deleteManifest(timestamp);
        System.out.println("deleted backup " + timestamp + "; run prune to free its data");
        return 0;
    }
}
