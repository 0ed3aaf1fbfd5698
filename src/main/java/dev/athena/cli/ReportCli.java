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

@Command(name = "report", mixinStandardHelpOptions = true, subcommands = ReportVerifyCli.class,
        description = "A restore's disaster-recovery report from the running service (GET /restorereport): HTML for a browser or an auditor,"
                + " or JSON; on stdout, into a file, or opened in the browser.")
final class ReportCli implements Callable<Integer> {
    enum Format { html, json }

    @Mixin
    ServiceOptions service;

    // Optional to picocli only so that `athena report verify FILE` reaches its subcommand; call() asks for it.
    @Parameters(paramLabel = "TIMESTAMP", arity = "0..1", description = "The backup the restore was made from.")
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
        if (timestamp == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "Missing required parameter: 'TIMESTAMP'"
                    + " (the backup the restore was made from: athena restore get lists them), or: athena report verify FILE");
        }
        ServiceClient client = service.client();
        String report = client.report(timestamp, restoreId, format.name());
        if (file == null && !open) {
            // As UTF-8 bytes whatever the terminal's locale: a report's signature covers its exact bytes.
            System.out.write(report.getBytes(StandardCharsets.UTF_8));
            System.out.flush();
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
