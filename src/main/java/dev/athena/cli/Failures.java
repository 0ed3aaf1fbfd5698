package dev.athena.cli;

import picocli.CommandLine;

/** Errors end the command with one line saying what is wrong, never a stack trace. */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (e instanceof Confirmation.Cancelled) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            return 1;
        }
        if (e instanceof CommandLine.ParameterException wrongUse) {
            // A command that checks its own options after parsing: the same one line and exit code as picocli's own checks.
            return handleParseException(wrongUse, null);
        }
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()) + heapHint(e));
        return 1;
    }

    /** For a failure caused by a full heap, how to give the next run more: the message alone says only "Java heap space". */
    static String heapHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                return "; the Java heap (" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) is too small for this job:"
                        + " run it with more, e.g. ATHENA_JAVA_OPTS=-Xmx1g bin/athena ..., or java -Xmx1g -jar athena.jar ...";
            }
        }
        return "";
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        e.getCommandLine().getErr().println("athena: " + e.getMessage() + " (see --help)");
        return 2;
    }
}
