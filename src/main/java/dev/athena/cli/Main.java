package dev.athena.cli;

import dev.athena.config.ConfigException;
import dev.athena.config.EnvironmentCheck;
import dev.athena.config.Tuning;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.slf4j.LoggerFactory;

/** {@code java -jar athena.jar <command>}: the entry point. */
@Command(name = "athena", mixinStandardHelpOptions = true, version = "athena 0.1.0",
        description = "Backup and disaster recovery for a data platform.",
        subcommands = {ServeCli.class, DemoCli.class, BackupCli.class, RestoreCli.class, VerifyCli.class, PruneCli.class, ListCli.class, ForgetCli.class, RepairCli.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(new Failures())
                .setParameterExceptionHandler(new Failures())
                .setExecutionStrategy(parsed -> {
                    if (CommandLine.printHelpIfRequested(parsed)) {
                        return 0;
                    }
                    // Before any command touches the repository: a bad tuning value, a misspelt variable or a
                    // placeholder secret is one line naming it.
                    try {
                        Tuning.check(System.getenv());
                        EnvironmentCheck.check(System.getenv()).forEach(w -> LoggerFactory.getLogger(Main.class).warn(w));
                    } catch (ConfigException e) {
                        parsed.commandSpec().commandLine().getErr().println("athena: " + e.getMessage());
                        return 1;
                    }
                    return new CommandLine.RunLast().execute(parsed);
                })
                .execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
