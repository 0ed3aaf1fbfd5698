package dev.athena.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Restore drills through the running service: start one, list them, see one. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = {"Restore drills run by the service: a backup restored into scratch targets that never touch the platform, checked, timed,"
                + " and removed (README.md, \"Restore drills\").", "Subcommands: create, get."},
        subcommands = {DrillCli.Create.class, DrillCli.Get.class})
final class DrillCli implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give a subcommand: create or get");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Start a restore drill (POST /ondemanddrill) of the newest successful backup, or --timestamp; --wait follows it to its end.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ServiceOptions service;

        @Mixin
        OutputOption output;

        @Option(names = "--timestamp", paramLabel = "TS", description = "The backup to drill; default: the newest successful, undamaged one.")
        String timestamp;

        @Option(names = "--wait", description = "Follow the drill until it ends; exit 1 if it failed.")
        boolean waitForEnd;

        @Override
        public Integer call() {
            ServiceClient client = service.client();
            String id = client.startDrill(timestamp);
            if (!waitForEnd) {
                if (output.json()) {
                    OutputOption.printJson(Map.of("drillId", id, "status", "Running"));
                } else {
                    System.out.println("drill " + id + " started; follow it with: athena drill get " + id);
                }
                return 0;
            }
            JsonNode done = JobFollower.follow(() -> client.drill(id));
            if (output.json()) {
                OutputOption.printJson(done);
            } else {
                System.out.print(RecordText.describeRestore(done));
            }
            return JobFollower.exitCode(done, "drill " + id);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "The service's drills, newest first (GET /drilllist), or one in full.")
    static final class Get implements Callable<Integer> {
        @Mixin
        ServiceOptions service;

        @Mixin
        OutputOption output;

        @Parameters(arity = "0..1", paramLabel = "DRILL_ID", description = "Only this drill, in full.")
        String drillId;

        @Override
        public Integer call() {
            ServiceClient client = service.client();
            if (drillId != null) {
                JsonNode d = client.drill(drillId);
                if (output.json()) {
                    OutputOption.printJson(d);
                } else {
                    System.out.print(RecordText.describeRestore(d));
                }
                return 0;
            }
            List<JsonNode> drills = client.drills();
            if (output.json()) {
                OutputOption.printJson(drills);
            } else if (drills.isEmpty()) {
                System.out.println("no drills yet; start one with: athena drill create --wait");
            } else {
                System.out.print(RecordText.restoreTable(drills, Instant.now(), "DRILL ID"));
            }
            return 0;
        }
    }
}
