package dev.athena.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "retention", mixinStandardHelpOptions = true,
        description = {"What the running service's retention keeps of its backups, and why, before anything is deleted (GET /retentionplan):"
                + " BACKUP_RETENTION_PERIOD, the RETENTION_KEEP_* calendars, the newest successful backup.",
                "A backup marked 'delete' goes at the next retention sweep (hourly, and after each backup)."})
final class RetentionCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        JsonNode plan = client.retentionPlan();
        if (output.json()) {
            OutputOption.printJson(plan);
            return 0;
        }
        JsonNode r = plan.path("rules");
        System.out.println("Keeping: backups of the last " + r.path("retentionDays").asLong() + " days, the newest successful one"
                + calendar(r, "keepHourly", "hour") + calendar(r, "keepDaily", "day") + calendar(r, "keepWeekly", "week")
                + calendar(r, "keepMonthly", "month") + calendar(r, "keepYearly", "year"));
        Table table = new Table("TIMESTAMP", "STATUS", "PLAN", "WHY");
        for (JsonNode b : plan.path("backups")) {
            List<String> why = new ArrayList<>();
            b.path("reasons").forEach(x -> why.add(x.asText()));
            table.row(b.path("timestamp").asText(), b.path("status").asText(), b.path("keep").asBoolean() ? "keep" : "delete",
                    why.isEmpty() ? "nothing keeps it" : String.join("; ", why));
        }
        System.out.print(table.isEmpty() ? "no backups yet in the service's namespace" + System.lineSeparator() : table.toString());
        return 0;
    }

    private static String calendar(JsonNode rules, String field, String unit) {
        long n = rules.path(field).asLong();
        return n == 0 ? "" : ", the newest of each of the last " + n + " " + unit + (n == 1 ? "" : "s") + " with a backup";
    }
}
