package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import dev.athena.restore.DisasterRecovery;
import dev.athena.restore.RestoreCommand;
import dev.athena.restore.RestoreSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore components of a backup into folders, which become exact copies (extra files are removed); this process does"
                + " the work.", "Its subcommands ask a running service instead: create, get, describe."},
        subcommands = {RestoreCreateCli.class, RestoreGetCli.class, RestoreDescribeCli.class})
final class RestoreCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-y", "--yes"}, description = "Restore over folders or databases that hold data without asking (scripts, CI).")
    boolean yes;

    @Option(names = "--include", paramLabel = "COMPONENT:ITEM", description = "Restore only this item, leaving the rest as it is; repeat"
            + " for more: a file or folder of a volume (metagraph:projects/a), a repository (gitserver:team/app.git), a database"
            + " (postgres:sales, or postgres:sales=sales_copy beside it), a key (config:APP_HOST). athena ls shows what a backup holds.")
    List<String> include;

    @Option(names = "--dry-run", description = "Run the checks (every pack the restore needs is read back) and print the plan; write nothing.")
    boolean dryRun;

    // Not required to picocli, which would then ask for it before 'restore get' too; call() asks for it.
    @Option(names = "--timestamp", description = "The backup to restore (athena list shows them). Required.")
    String timestamp;

    @Option(names = "--volume", paramLabel = "NAME=FOLDER", converter = VolumeArg.Converter.class,
            description = "A component and the folder to restore it into; repeat for several. Without it: every component of the "
                    + "backup that this environment configures.")
    List<VolumeArg> volumes;

    /** Each phase as it ends, and each check that failed; skipped phases are left out. */
    private record Phases(ProgressDisplay display) implements DisasterRecovery.Listener {
        @Override
        public void phaseEnded(DisasterRecovery.Phase phase) {
            if (!phase.detail().startsWith("skipped:")) {
                display.println(phase.name() + (phase.succeeded() ? "" : " FAILED") + " (" + phase.durationMs() + " ms): " + phase.detail());
            }
        }

        @Override
        public void checked(DisasterRecovery.Check check) {
            if (!check.passed()) {
                display.println("  check failed: " + check.name() + ": " + check.detail());
            }
        }
    }

    /**
     * What the restore would replace: each folder that holds something (it becomes an exact copy,
     * so what the backup lacks is removed) and each component that is not a folder (databases,
     * the ConfigMap). An empty or missing folder loses nothing and is not asked about.
     */
    static List<String> overwritten(List<dev.athena.component.Component> components) throws java.io.IOException {
        List<String> out = new java.util.ArrayList<>();
        for (dev.athena.component.Component c : components) {
            if (c instanceof dev.athena.component.VolumeComponent v) {
                java.nio.file.Path folder = v.folder();
                if (java.nio.file.Files.isDirectory(folder)) {
                    long entries;
                    try (var list = java.nio.file.Files.list(folder)) {
                        entries = list.count();
                    }
                    if (entries > 0) {
                        out.add(c.name() + ": " + folder + " holds " + dev.athena.concurrent.Sizes.count(entries, "entry", "entries")
                                + "; it becomes an exact copy of the backup, and what the backup lacks is removed");
                    }
                }
            } else {
                out.add(c.name() + ": replaced by the backup's copy");
            }
        }
        return out;
    }

    /** What an item-level restore replaces: those items only. */
    static List<String> replacedItems(java.util.Map<String, List<String>> items) {
        List<String> out = new java.util.ArrayList<>();
        items.forEach((component, list) -> list.forEach(item -> out.add(component + ": " + item + " is replaced by the backup's copy")));
        return out;
    }

    @Override
    public Integer call() throws Exception {
        if (timestamp == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--timestamp=<timestamp>'"
                    + " (or a subcommand: create, get, describe)");
        }
        RepositoryLayout.checkTimestamp(timestamp);
        try (RestoreSource source = repo.openForRestore()) {
            Repository repository = source.repository();
            var held = repository.readManifest(timestamp).components().keySet();
            var components = repo.components(volumes, "restore into").stream().filter(c -> volumes != null || held.contains(c.name())).toList();
            java.util.Map<String, List<String>> items = ItemArgs.parse(include);
            if (!dryRun) {
                Confirmation.ask(spec.commandLine(), "this restore replaces what is there now", items.isEmpty() ? overwritten(components)
                        : replacedItems(items), yes);
            }
            java.util.Map<String, dev.athena.component.RestoreOutcome> restored;
            try (ProgressDisplay progress = ProgressDisplay.start(repository.progress())) {
                RestoreCommand command = new RestoreCommand(repository, timestamp).componentThreads(repo.settings().tuning().componentThreads())
                        .listener(new Phases(progress)).dryRun(dryRun).items(items);
                components.forEach(command::component);
                restored = command.call();
                if (dryRun) {
                    progress.println("dry run: nothing was written; a restore would:");
                    command.plan().forEach(step -> progress.println("  " + step));
                }
            }
            restored.forEach((name, r) -> System.out.println("restored " + name + ": " + StatsText.of(r.stats())));
        }
        return 0;
    }
}
