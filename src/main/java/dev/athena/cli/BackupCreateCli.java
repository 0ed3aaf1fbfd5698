package dev.athena.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Ask the running service for a backup (POST /ondemandbackup); with --wait, follow it to its end.")
final class BackupCreateCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Option(names = "--only-config", description = "Only the configuration component (the ConfigMap).")
    boolean onlyConfig;

    @Option(names = "--wait", description = "Follow the backup, with its progress, until it ends; exit 1 if it failed.")
    boolean waitForEnd;

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        String ts = client.startBackup(onlyConfig);
        if (!waitForEnd) {
            if (output.json()) {
                OutputOption.printJson(Map.of("timestamp", ts, "status", "Running"));
            } else {
                System.out.println("backup " + ts + " started; follow it with: athena backup describe " + ts);
            }
            return 0;
        }
        JsonNode done = JobFollower.follow(() -> client.backup(ts));
        if (output.json()) {
            OutputOption.printJson(done);
        } else {
            System.out.print(RecordText.describeBackup(done));
        }
        return JobFollower.exitCode(done, "backup " + ts);
    }
}
