package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.repository.RepositoryLayout;
import dev.athena.restore.RestoreCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore components of a backup into folders, which become exact copies (extra files are removed).")
final class RestoreCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Option(names = "--timestamp", required = true, description = "The backup to restore.")
    String timestamp;

    @Option(names = "--volume", required = true, paramLabel = "NAME=FOLDER", converter = VolumeArg.Converter.class,
            description = "A component and the folder to restore it into; repeat for several.")
    List<VolumeArg> volumes;

    @Override
    public Integer call() throws Exception {
        RepositoryLayout.checkTimestamp(timestamp);
        RestoreCommand command = new RestoreCommand(repo.open(false), timestamp);
        volumes.forEach(v -> command.volume(v.name(), v.folder()));
        command.call().forEach((name, r) -> System.out.println("restored " + name + ": " + r.stats()));
        return 0;
    }
}
