package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.repository.Manifest;
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

    @Option(names = {"-y", "--yes"}, description = "Delete without asking (needed where no terminal can ask: scripts, CI).")
    boolean yes;

    @Mixin
    OutputOption output;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        RepositoryLayout.checkTimestamp(timestamp);
        Repository repository = repo.open(false);
        Manifest m = repository.readManifest(timestamp);
        Confirmation.ask(spec.commandLine(), "this deletes a backup of namespace " + repository.namespace(), List.of("backup " + timestamp
                + " (" + String.join(", ", m.components().keySet()) + "; taken " + m.startedAt() + ")"), yes);
        repository.deleteManifest(timestamp);
        if (output.json()) {
            OutputOption.printJson(java.util.Map.of("deleted", timestamp, "namespace", repository.namespace()));
        } else {
            System.out.println("deleted backup " + timestamp + "; run prune to free its data");
        }
        return 0;
    }
}
