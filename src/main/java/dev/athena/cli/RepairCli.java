package dev.athena.cli;

import java.util.concurrent.Callable;

import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "repair", mixinStandardHelpOptions = true, description = "Repair damaged repository metadata.",
        subcommands = {RepairCli.IndexCli.class})
final class RepairCli implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Rebuild what damaged index files held from the packs' own headers, then delete the damaged files.")
    static final class IndexCli implements Callable<Integer> {
        @Mixin
        RepositoryOptions repo;

        @Override
        public Integer call() {
            Repository repository = repo.open(false);
            try (RepositoryLock lock = RepositoryLock.exclusive(repository, "repair index")) {
                Repository.IndexRepair r = repository.repairIndex();
                System.out.println("index of namespace " + repository.namespace() + ": " + r.damagedIndexFiles()
                        + " damaged index files replaced; " + r.packsRead() + " packs no index named were read, " + r.blobsIndexed()
                        + " blobs indexed");
            }
            return 0;
        }
    }
}
