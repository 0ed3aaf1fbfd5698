package dev.athena.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.athena.client.ServiceClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "A restore's disaster-recovery report from the running service (GET /restorereport): HTML for a browser or an auditor,"
                + " or JSON; on stdout, into a file, or opened in the browser.")
final class ReportCli implements Callable<Integer> {
    enum Format { html, json }

    @Mixin
    ServiceOptions service;

    @Parameters(paramLabel = "TIMESTAMP", description = "The backup the restore was made from.")
    String timestamp;

    @Option(names = "--restore-id", paramLabel = "ID", description = "Which restore from that backup; default: the newest.")
    String restoreId;

    @Option(names = "--format", defaultValue = "html", paramLabel = "html|json", description = "Default: html.")
    Format format = Format.html;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
    Path file;

    @Option(names = "--open", description = "Write it to a temporary file and open that in the desktop's browser (xdg-open, open).")
    boolean open;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServiceClient client = service.client();
        String report = client.report(timestamp, restoreId, format.name());
        if (file == null && !open) {
            System.out.print(report);
            return 0;
        }
        Path target = file != null ? file : Files.createTempFile("athena-report-" + timestamp + "-", "." + format.name());
        Files.writeString(target, report, StandardCharsets.UTF_8);
        System.out.println("report written to " + target.toAbsolutePath());
        if (open) {
            for (String opener : new String[] {"xdg-open", "open"}) {
                try {
                    new ProcessBuilder(opener, target.toAbsolutePath().toString()).inheritIO().start();
                    return 0;
                } catch (IOException e) {
                    // not on this machine: try the next
                }
            }
            System.err.println("athena report: no xdg-open or open here to start a browser; open " + target.toAbsolutePath() + " yourself");
        }
        return 0;
    }
}
