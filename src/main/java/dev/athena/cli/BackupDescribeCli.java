package dev.athena.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Everything the running service records of one backup (GET /backupstatus), its progress while it runs.")
final class BackupDescribeCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Parameters(paramLabel = "TIMESTAMP", description = "The backup.")
    String timestamp;

    @Override
    public Integer call() {
        JsonNode b = service.client().backup(timestamp);
        if (output.json()) {
            OutputOption.printJson(b);
        } else {
            System.out.print(RecordText.describeBackup(b));
        }
        return 0;
    }
}
