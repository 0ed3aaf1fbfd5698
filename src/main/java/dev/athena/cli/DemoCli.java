package dev.athena.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.athena.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show the whole job on a sample platform: create it, back it up, restore it elsewhere, check it, and print the report's path.")
final class DemoCli implements Callable<Integer> {
    @Option(names = "--dir", description = "Folder for the sample platforms and backups; default: a new temporary folder.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path where = dir != null ? dir.toAbsolutePath() : Files.createTempDirectory("athena-demo-");
        new Demo(where, System.out).run();
        return 0;
    }
}
