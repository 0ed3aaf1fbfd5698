package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backup", mixinStandardHelpOptions = true, description = "Back up folders as components of one backup.")
final class BackupCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Option(names = "--volume", paramLabel = "NAME=FOLDER", converter = VolumeArg.Converter.class,
            description = "A component and its folder; repeat for several. Without it: the platform's components from the environment "
                    + "(POSTGRES_HOST, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH, CONFIGMAP_PATH, ...).")
    List<VolumeArg> volumes;

    @Option(names = "--timestamp", description = "Name of the backup (yyyy-MM-dd't'HH-mm-ss); default: now, UTC.")
    String timestamp;

    @Override
    public Integer call() {
        if (timestamp != null) {
            RepositoryLayout.checkTimestamp(timestamp);
        }
        // The components first: a configuration error must not create the repository.
        List<dev.athena.component.Component> components = repo.components(volumes);
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
        System.out.println("backup " + m.timestamp() + " of namespace " + m.namespace() + ": Success");
        m.components().forEach((name, c) -> System.out.println("  " + name + ": " + c.stats()));
        if (m.components().size() > 1) {
            System.out.println("  the components' captures started within " + Manifest.Window.spread(m.windows()).toMillis() + " ms of each other");
        }
        m.warnings().stream().limit(20).forEach(w -> System.out.println("  warning: " + w));
        System.out.println("  stored " + repository.storedBytes() + " new bytes at " + repository.store().locate(repository.layout().backupFolder(m.timestamp())));
        System.out.println("  the store got " + dev.athena.storage.CountingStore.countsOf(repository.store()));
        return 0;
    }
}
