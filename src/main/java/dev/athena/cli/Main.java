package dev.athena.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar athena.jar <command>}: the entry point. */
@Command(name = "athena", mixinStandardHelpOptions = true, version = "athena 0.1.0",
        description = "Backup and disaster recovery for a data platform.",
        subcommands = {ServeCli.class, DemoCli.class, BackupCli.class, RestoreCli.class, VerifyCli.class, PruneCli.class, ListCli.class, ForgetCli.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new Failures())
                .setParameterExceptionHandler(new Failures())
                .execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
