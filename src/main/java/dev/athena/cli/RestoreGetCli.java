package dev.athena.cli;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "get", mixinStandardHelpOptions = true,
        description = "The restores the running service made into its namespace, newest first (GET /restorelist), or the one named.")
final class RestoreGetCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Parameters(arity = "0..1", paramLabel = "RESTORE_ID", description = "Only this restore.")
    String restoreId;

    @Override
    public Integer call() {
        List<JsonNode> restores = restoreId == null ? service.client().restores() : List.of(RestoreDescribeCli.find(service.client(), restoreId));
        if (output.json()) {
            OutputOption.printJson(restoreId == null ? restores : restores.get(0));
        } else if (restores.isEmpty()) {
            System.out.println("no restores yet in the service's namespace; try one with: athena restore create TIMESTAMP --dry-run");
        } else {
            System.out.print(RecordText.restoreTable(restores, Instant.now()));
        }
        return 0;
    }
}
