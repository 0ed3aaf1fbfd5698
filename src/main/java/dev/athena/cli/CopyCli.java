package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.concurrent.Sizes;
import dev.athena.maintenance.CopyCommand;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "copy", mixinStandardHelpOptions = true,
        description = {"Copy a namespace's backups to a second location (3-2-1): only the data it lacks is sent, sealed with its own key"
                + " (ATHENA_COPY_ENCRYPTION_KEY, else the same), and read back before each backup is published there.",
                "Run again after an interruption: it carries on. Restore from the copy with --location."})
final class CopyCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Mixin
    OutputOption output;

    @Option(names = "--to", paramLabel = "FOLDER|s3://BUCKET", description = "The second location; default: COPY_TO.")
    String to;

    @Option(names = "--timestamp", description = "Only this backup; repeat for several. Default: all.")
    List<String> timestamps;

    @Override
    public Integer call() {
        if (timestamps != null) {
            timestamps.forEach(RepositoryLayout::checkTimestamp);
        }
        // Opened for writing only to hold a shared lock, so no prune deletes what is being copied.
        if (to == null) {
            to = repo.settings().copyTo();
            if (to == null) {
                throw new IllegalArgumentException("no second location: give --to FOLDER|s3://BUCKET, or set COPY_TO");
            }
        }
        Repository source = repo.open(false);
        Repository target = repo.openCopyTarget(to);
        CopyCommand.Result result;
        try (ProgressDisplay progress = ProgressDisplay.start(target.progress())) {
            result = new CopyCommand(source, target).timestamps(timestamps).call();
        }
        int exit = result.failures().isEmpty() ? 0 : 1;
        if (output.json()) {
            OutputOption.printJson(result);
            return exit;
        }
        for (CopyCommand.Copied c : result.backups()) {
            System.out.println(c.failed() ? "backup " + c.timestamp() + ": NOT copied: " + c.error()
                    : c.alreadyThere() ? "backup " + c.timestamp() + ": already there"
                    : "backup " + c.timestamp() + ": copied, " + Sizes.count(c.blobsCopied(), "blob") + " (" + Sizes.bytes(c.bytesCopied())
                    + ") new there, read back intact");
        }
        int there = result.backups().size() - result.failures().size();
        System.out.println(Sizes.count(there, "backup") + " at " + to + "; " + Sizes.bytes(result.bytesCopied()) + " sent"
                + (exit == 0 ? "" : "; " + Sizes.count(result.failures().size(), "backup") + " could not be copied (see above)"));
        return exit;
    }
}
