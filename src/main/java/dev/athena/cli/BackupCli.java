package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.backup.BackupCommand;
import dev.athena.concurrent.Sizes;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up folders, or the platform's components, into the repository as one backup (this process does the work).",
                "Its subcommands ask a running service instead: create, get, describe."},
        subcommands = {BackupCreateCli.class, BackupGetCli.class, BackupDescribeCli.class})
final class BackupCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Option(names = "--volume", paramLabel = "NAME=FOLDER", converter = VolumeArg.Converter.class,
            description = "A component and its folder; repeat for several. Without it: the platform's components from the environment "
                    + "(POSTGRES_HOST, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH, CONFIGMAP_PATH, ...).")
    List<VolumeArg> volumes;

    @Mixin
    OutputOption output;

    @Option(names = "--timestamp", description = "Name of the backup (yyyy-MM-dd't'HH-mm-ss); default: now, UTC.")
    String timestamp;

    @Override
    public Integer call() {
        if (timestamp != null) {
            RepositoryLayout.checkTimestamp(timestamp);
        }
        // The components first: a configuration error must not create the repository.
        List<dev.athena.component.Component> components = repo.components(volumes, "back up");
        Repository repository = repo.open(true);
        BackupCommand command = new BackupCommand(repository).timestamp(timestamp)
                .platformVersion(repo.settings().platformVersion())
                .componentThreads(repo.settings().tuning().componentThreads());
        components.forEach(command::component);
        Manifest m;
        try (ProgressDisplay progress = ProgressDisplay.start(repository.progress())) {
            m = command.call();
        } catch (RuntimeException e) {
            repository.removeIfOnlyAFailedFirstBackup();
            throw e;
        }
        if (output.json()) {
            java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("timestamp", m.timestamp());
            out.put("namespace", m.namespace());
            out.put("status", "Success");
            out.put("startedAt", m.startedAt());
            out.put("finishedAt", m.finishedAt());
            java.util.Map<String, Object> stats = new java.util.LinkedHashMap<>();
            m.components().forEach((name, c) -> stats.put(name, c.stats()));
            out.put("components", stats);
            out.put("windows", m.windows());
            out.put("warnings", m.warnings());
            out.put("newBytes", repository.storedBytes());
            out.put("location", repository.store().locate(repository.layout().backupFolder(m.timestamp())));
            out.put("requests", dev.athena.storage.CountingStore.countsOf(repository.store()));
            OutputOption.printJson(out);
            return 0;
        }
        System.out.println("backup " + m.timestamp() + " of namespace " + m.namespace() + ": Success");
        m.components().forEach((name, c) -> System.out.println("  " + name + ": " + StatsText.of(c.stats())));
        if (m.components().size() > 1) {
            System.out.println("  the components' captures started within " + Manifest.Window.spread(m.windows()).toMillis() + " ms of each other");
        }
        m.warnings().stream().limit(20).forEach(w -> System.out.println("  warning: " + w));
        System.out.println("  stored " + Sizes.bytes(repository.storedBytes()) + " of new data at " + repository.store().locate(repository.layout().backupFolder(m.timestamp())));
        System.out.println("  the store got " + dev.athena.storage.CountingStore.countsOf(repository.store()));
        return 0;
    }
}
