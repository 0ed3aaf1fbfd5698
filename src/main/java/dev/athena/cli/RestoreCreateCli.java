package dev.athena.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.athena.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Ask the running service to restore a backup into its namespace (POST /ondemandrestore), with its checks, upgrade and"
                + " report; with --wait, follow it to its end. Try --dry-run first: it checks everything and writes nothing.")
final class RestoreCreateCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Mixin
    OutputOption output;

    @Parameters(paramLabel = "TIMESTAMP", arity = "0..1", description = "The backup to restore (athena backup get lists them);"
            + " with --target-time it may be left out: the newest backup at or before that moment.")
    String timestamp;

    @Option(names = "--target-time", paramLabel = "TIME", description = "Recover PostgreSQL to this moment (RFC 3339, e.g. 2026-12-07T14:03:00Z)"
            + " from the backup's base backup and the archived WAL (POSTGRES_BACKUP_MODE=physical or both, POSTGRES_WAL_ARCHIVE=true).")
    String targetTime;

    @Option(names = "--source-namespace", paramLabel = "NS", description = "The namespace that made the backup; default: the service's own.")
    String sourceNamespace;

    @Option(names = "--skip", split = ",", paramLabel = "COMPONENT", description = "Components not to restore, e.g. --skip gitserver,metagraph.")
    List<String> skip;

    @Option(names = "--include", paramLabel = "COMPONENT:ITEM", description = "Restore only this item of a component (svcs.<name>.include);"
            + " repeat for more: metagraph:projects/a, gitserver:team/app.git, postgres:sales or postgres:sales=sales_copy, config:APP_HOST.")
    List<String> include;

    @Option(names = "--no-upgrade", description = "Do not upgrade the platform to the backup's version first.")
    boolean noUpgrade;

    @Option(names = "--allow-downgrade", description = "Restore a backup of an older platform version than this cluster runs.")
    boolean allowDowngrade;

    @Option(names = "--no-pre-checks", description = "Skip the destination's health check before the restore (the data is checked anyway).")
    boolean noPreChecks;

    @Option(names = "--no-post-checks", description = "Skip the checks after the restore (row counts, file hashes, git fsck, health).")
    boolean noPostChecks;

    @Option(names = "--report", description = "Store the disaster-recovery report in the backup location (it is served on demand either way).")
    boolean report;

    @Option(names = "--dry-run", description = "Check the backup and the destination and show the plan; write nothing.")
    boolean dryRun;

    @Option(names = "--from-copy", description = "Read the backup from the second location the service keeps in step (COPY_TO),"
            + " for when the backup location is lost or slow (\"location\": \"secondary\").")
    boolean fromCopy;

    @Option(names = "--wait", description = "Follow the restore, with its progress, until it ends; exit 1 if it failed.")
    boolean waitForEnd;

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        if (timestamp == null && targetTime == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "athena restore create: name the backup (TIMESTAMP),"
                    + " or give --target-time to recover to a moment");
        }
        ObjectNode request = ServiceClient.object();
        if (timestamp != null) {
            request.put("timestamp", timestamp);
        }
        if (targetTime != null) {
            request.put("targetTime", targetTime);
        }
        if (sourceNamespace != null) {
            request.put("sourceNamespace", sourceNamespace);
        }
        request.put("enableReportGeneration", report).put("disableUpgrade", noUpgrade).put("allowDowngrade", allowDowngrade)
                .put("disablePreRestoreChecks", noPreChecks).put("disablePostRestoreChecks", noPostChecks).put("dryRun", dryRun);
        if (fromCopy) {
            request.put("location", "secondary");
        }
        java.util.Map<String, List<String>> items = ItemArgs.parse(include);
        if ((skip != null && !skip.isEmpty()) || !items.isEmpty()) {
            ObjectNode svcs = request.putObject("svcs");
            if (skip != null) {
                skip.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(s -> svcs.putObject(s).put("disable", true));
            }
            items.forEach((component, list) -> {
                ObjectNode svc = svcs.has(component) ? (ObjectNode) svcs.get(component) : svcs.putObject(component);
                list.forEach(svc.putArray("include")::add);
            });
        }
        JsonNode accepted = client.startRestore(request);
        if (timestamp == null) {
            String message = accepted.path("message").asText();
            timestamp = message.substring(message.lastIndexOf(' ') + 1);
        }
        // The service records a restore as Running before it accepts it, so the newest one from this backup is this one.
        String id = client.latestRestore(timestamp).path("restoreId").asText();
        if (!waitForEnd) {
            if (output.json()) {
                OutputOption.printJson(Map.of("restoreId", id, "timestamp", timestamp, "status", "Running"));
            } else {
                System.out.println("restore " + id + " of backup " + timestamp + " started" + (dryRun ? " (dry run)" : "")
                        + "; follow it with: athena restore describe " + id);
            }
            return 0;
        }
        JsonNode done = JobFollower.follow(() -> client.restore(timestamp, id));
        if (output.json()) {
            OutputOption.printJson(done);
        } else {
            System.out.print(RecordText.describeRestore(done));
        }
        return JobFollower.exitCode(done, "restore " + id + " of backup " + timestamp);
    }
}
