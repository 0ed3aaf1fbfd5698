package dev.athena.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.concurrent.Sizes;
import dev.athena.maintenance.PruneCommand;
import dev.athena.repository.Pruner;
import dev.athena.repository.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete data that no existing backup refers to; says what it will delete and asks first (or --yes).")
final class PruneCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Mixin
    OutputOption output;

    @Option(names = {"-y", "--yes"}, description = "Delete without asking (needed where no terminal can ask: scripts, CI).")
    boolean yes;

    @Option(names = "--dry-run", description = "Only say what prune would delete now.")
    boolean dryRun;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Repository repository = repo.open(false);
        PruneCommand prune = new PruneCommand(repository);
        Pruner.Result plan = prune.plan();
        if (dryRun) {
            print(plan, "would free");
            return 0;
        }
        Confirmation.ask(spec.commandLine(), "prune deletes data no backup of namespace " + repository.namespace() + " refers to",
                whatGoes(plan), yes);
        print(prune.call(), "freed");
        return 0;
    }

    static List<String> whatGoes(Pruner.Result plan) {
        List<String> out = new ArrayList<>();
        if (plan.packsDeleted() > 0) {
            out.add(Sizes.count(plan.packsDeleted(), "pack") + " that only unused data is in, deleted");
        }
        if (plan.packsRepacked() > 0) {
            out.add(Sizes.count(plan.packsRepacked(), "pack") + " partly unused, rewritten without that data");
        }
        if (plan.orphanPacksDeleted() > 0) {
            out.add(Sizes.count(plan.orphanPacksDeleted(), "pack") + " that no index names (left by an interrupted backup), deleted");
        }
        if (!out.isEmpty()) {
            out.add(Sizes.bytes(plan.bytesFreed()) + " freed in all");
        }
        return out;
    }

    private void print(Pruner.Result r, String verb) {
        if (output.json()) {
            OutputOption.printJson(r);
        } else {
            List<String> lines = whatGoes(r);
            System.out.println(lines.isEmpty() ? "nothing to prune: every stored pack holds data a backup refers to"
                    : "prune " + verb + ": " + String.join("; ", lines));
        }
    }
}
