package dev.athena.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in a separate JVM, as an operator would, with the test's class path. */
public final class AthenaProcess {
    private AthenaProcess() {
    }

    public static ProcessBuilder builder(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.athena.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /** Runs to the end and returns the exit code; output goes to {@code log}. */
    public static int run(Path log, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return builder(jvmOptions, args).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start().waitFor();
    }
}
