package dev.athena.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;

import dev.athena.maintenance.BackupContents;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"One file of a backup, to stdout, each chunk checked against its hash as it is read.",
                "e.g. athena dump 2026-12-07t10-00-00 metagraph/projects/a/graph.db > graph.db"})
final class DumpCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Parameters(index = "0", paramLabel = "TIMESTAMP", description = "The backup.")
    String timestamp;

    @Parameters(index = "1", paramLabel = "COMPONENT/PATH", description = "The file, as athena ls shows it.")
    String file;

    @Override
    public Integer call() throws Exception {
        RepositoryLayout.checkTimestamp(timestamp);
        int slash = file.indexOf('/');
        if (slash <= 0 || slash == file.length() - 1) {
            throw new IllegalArgumentException("'" + file + "' names no file: write COMPONENT/PATH, e.g. metagraph/graph.db");
        }
        OutputStream out = System.out;
        try (InputStream in = new BackupContents(repo.openReadOnly()).open(timestamp, file.substring(0, slash), file.substring(slash + 1))) {
            in.transferTo(out);
        }
        out.flush();
        return 0;
    }
}
