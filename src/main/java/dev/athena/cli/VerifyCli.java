package dev.athena.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.athena.maintenance.VerifyCommand;
import dev.athena.repository.RepositoryLayout;
import dev.athena.repository.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Read back backups and check every hash; exits 3 and names each damaged file when something is wrong.")
final class VerifyCli implements Callable<Integer> {
    @Mixin
    RepositoryOptions repo;

    @Option(names = "--timestamp", description = "Only this backup; repeat for several. Default: all.")
    List<String> timestamps;

    @Mixin
    OutputOption output;

    @Option(names = "--quick", description = "Check each pack's hash only, without opening every blob.")
    boolean quick;

    @Override
    public Integer call() {
        if (timestamps != null) {
            timestamps.forEach(RepositoryLayout::checkTimestamp);
        }
        dev.athena.repository.Repository repository = repo.open(false);
        repository.progress().phase("verifying packs");
        VerifyCommand.Report report;
        try (ProgressDisplay progress = ProgressDisplay.start(repository.progress())) {
            report = new VerifyCommand(repository).backups(timestamps).depth(quick ? Verifier.Depth.PACKS : Verifier.Depth.BLOBS).call();
        }
        if (output.json()) {
            OutputOption.printJson(java.util.Map.of("backups", report.backups(), "intact", report.ok(),
                    "problems", report.problems().stream().map(Object::toString).toList()));
        } else {
            report.problems().forEach(p -> System.out.println("DAMAGED " + p));
            System.out.println("verified " + dev.athena.concurrent.Sizes.count(report.backups().size(), "backup") + ": "
                    + (report.ok() ? "all intact" : dev.athena.concurrent.Sizes.count(report.problems().size(), "problem")));
        }
        return report.ok() ? 0 : 3;
    }
}
