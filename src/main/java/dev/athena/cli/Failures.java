package dev.athena.cli;

import picocli.CommandLine;

/** Errors end the command with one line saying what is wrong, never a stack trace. */
final class Failures implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        cmd.getErr().println("athena " + cmd.getCommandName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return 1;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        e.getCommandLine().getErr().println("athena: " + e.getMessage() + " (see --help)");
        return 2;
    }
}
