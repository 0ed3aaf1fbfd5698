package dev.athena.cli;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = "The running service's backups, newest first (GET /backuplist), or the one named.")
final class BackupGetCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Parameters(arity = "0..1", paramLabel = "TIMESTAMP", description = "Only this backup.")
    String timestamp;

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        List<JsonNode> backups = timestamp == null ? client.backups() : List.of(client.backup(timestamp));
        if (output.json()) {
            OutputOption.printJson(timestamp == null ? backups : backups.get(0));
        } else if (backups.isEmpty()) {
            System.out.println("no backups yet in the service's namespace; start one with: athena backup create");
        } else {
            System.out.print(RecordText.backupTable(backups, Instant.now()));
        }
        return 0;
    }
}
