package dev.athena.cli;

import java.io.Console;
import java.util.List;

import picocli.CommandLine;

/**
 * What a destructive command asks before it deletes: it says what goes, and goes on only when a
 * person at a terminal answers yes, or when the command was given {@code --yes}. With no terminal
 * to ask on (a script, CI, a pipe) and no {@code --yes}, it stops before anything is touched.
 */
final class Confirmation {
    private Confirmation() {
    }

    /** Returns when the command may go on; throws otherwise, with nothing changed. */
    static void ask(CommandLine command, String action, List<String> whatGoes, boolean yes) {
        if (yes || whatGoes.isEmpty()) {
            return;
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandLine.ParameterException(command, action + " (" + String.join("; ", whatGoes) + "): there is no terminal to ask"
                    + " on, so nothing was done; add --yes to go ahead");
        }
        console.printf("%s:%n", action);
        whatGoes.forEach(w -> console.printf("  %s%n", w));
        String answer = console.readLine("Go ahead? [y/N] ");
        if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
            throw new Cancelled();
        }
    }

    /** The person said no: the command ends with nothing changed. */
    static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled: nothing was changed");
        }
    }
}
