package dev.athena.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.client.ServiceClient;
import dev.athena.client.ServiceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Everything the running service records of one restore: phases, checks, components, RTO and RPO, progress while it runs.")
final class RestoreDescribeCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Parameters(paramLabel = "RESTORE_ID", description = "The restore (athena restore get lists them).")
    String restoreId;

    @Override
    public Integer call() {
        JsonNode r = find(service.client(), restoreId);
        if (output.json()) {
            OutputOption.printJson(r);
        } else {
            System.out.print(RecordText.describeRestore(r));
        }
        return 0;
    }

    /** The restore with this id, as the service records it now (its progress included while it runs). */
    static JsonNode find(ServiceClient client, String restoreId) {
        for (JsonNode r : client.restores()) {
            if (restoreId.equals(r.path("restoreId").asText())) {
                return r;
            }
        }
        throw new ServiceException("no restore " + restoreId + " in the service's namespace: athena restore get lists them", 404);
    }
}
