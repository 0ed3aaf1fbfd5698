package dev.athena.cli;

import dev.athena.config.ConfigException;
import dev.athena.config.EnvironmentCheck;
import dev.athena.config.CommandSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import org.slf4j.LoggerFactory;

/** {@code java -jar athena.jar <command>}: the entry point. */
@Command(name = "athena", mixinStandardHelpOptions = true, version = "athena " + dev.athena.config.AthenaVersion.NUMBER,
        description = "Backup and disaster recovery for a data platform.",
        subcommands = {ServeCli.class, DemoCli.class, BackupCli.class, RestoreCli.class, VerifyCli.class, PruneCli.class, ListCli.class, ForgetCli.class, RepairCli.class,
                SelftestCli.class, ReportCli.class, CompletionCli.class, LsCli.class, FindCli.class, DiffCli.class, DumpCli.class, CopyCli.class, RetentionCli.class, DrillCli.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        boundNioBufferCache();
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            // Out of heap before a command's own handler (a heap too small even to start): one line, not a stack trace.
            System.err.println("athena: out of memory" + Failures.heapHint(e));
            code = 1;
        }
        System.exit(code);
    }

    /**
     * The JDK copies each read or write of a heap buffer on a file channel through a native buffer
     * as large as the request, and keeps one per thread for good: a backup that read 8 MiB at a
     * time held 59 MiB outside the heap this way. Set before the first channel is used (the JDK
     * reads it once); a value the user gave is kept.
     */
    static void boundNioBufferCache() {
        if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
            System.setProperty("jdk.nio.maxCachedBufferSize", String.valueOf(1024 * 1024));
        }
    }

    public static int run(String... args) {
        return run(System.getenv(), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs one command with {@code env} as its environment, errors to {@code err}. */
    static int run(java.util.Map<String, String> env, java.io.PrintWriter err, String... args) {
        return new CommandLine(new Main())
                .setErr(err)
                .setExecutionExceptionHandler(new Failures())
                .setParameterExceptionHandler(new Failures())
                .setExecutionStrategy(parsed -> {
                    if (CommandLine.printHelpIfRequested(parsed)) {
                        return 0;
                    }
                    // Before any command touches the repository: a bad tuning value, a misspelt variable or a
                    // placeholder secret is one line naming it.
                    // The environment is read once, here, and handed to the command.
                    try {
                        CommandSettings settings = CommandSettings.fromEnv(env);
                        EnvironmentCheck.check(env).forEach(w -> LoggerFactory.getLogger(Main.class).warn(w));
                        parsed.asCommandLineList().forEach(c -> handTo(c.getCommandSpec(), settings));
                    } catch (ConfigException e) {
                        parsed.commandSpec().commandLine().getErr().println("athena: " + e.getMessage());
                        return 1;
                    }
                    return new CommandLine.RunLast().execute(parsed);
                })
                .execute(args);
    }

    private static void handTo(CommandLine.Model.CommandSpec spec, CommandSettings settings) {
        if (spec.userObject() instanceof ServeCli serve) {
            serve.settings = settings;
        }
        spec.mixins().values().forEach(m -> {
            if (m.userObject() instanceof RepositoryOptions options) {
                options.settings = settings;
            }
            if (m.userObject() instanceof ServiceOptions options) {
                options.settings = settings;
            }
        });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
