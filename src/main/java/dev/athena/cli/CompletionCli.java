package dev.athena.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh) completion script for athena's commands and options.",
                "Use it with: source <(athena completion)   or put its output in /etc/bash_completion.d/athena"})
final class CompletionCli implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        System.out.print(AutoComplete.bash("athena", root));
        return 0;
    }
}
