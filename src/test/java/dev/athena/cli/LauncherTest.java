package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.Trees;

/** bin/athena, run as a user runs it: a real shell, a real JVM, a jar (here one whose class path is this build's). */
class LauncherTest {
    @TempDir
    Path tmp;

    /** A jar that runs dev.athena.cli.Main from the test's class path: target/athena.jar is built only after the tests. */
    private Path jar() throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream()
                .map(p -> Path.of(p).toUri().toString()).collect(Collectors.joining(" ")));
        Path jar = tmp.resolve("athena.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    private static String run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theLauncherRunsTheSerialCollectorInABoundedHeapUnlessToldOtherwise() throws Exception {
        Path jar = jar();
        ProcessBuilder pb = new ProcessBuilder("bin/athena", "--version");
        pb.environment().put("ATHENA_JAR", jar.toString());
        pb.environment().put("JDK_JAVA_OPTIONS", "-XX:+PrintCommandLineFlags");
        pb.environment().remove("ATHENA_JAVA_OPTS");
        String out = run(pb);
        assertThat(out).contains("-XX:+UseSerialGC").contains("-XX:InitialHeapSize=16777216").contains("-XX:MaxHeapSize=201326592")
                .contains("athena 0.1.0");

        pb.environment().put("ATHENA_JAVA_OPTS", "-Xmx300m");
        assertThat(run(pb)).contains("-XX:MaxHeapSize=314572800").doesNotContain("UseSerialGC");

        Path source = Files.createDirectories(tmp.resolve("source"));
        Trees.write(source.resolve("a/b"), "through the launcher".getBytes());
        ProcessBuilder backup = new ProcessBuilder("bin/athena", "backup", "--location", tmp.resolve("repo").toString(), "--volume", "data=" + source);
        backup.environment().put("ATHENA_JAR", jar.toString());
        backup.environment().remove("ATHENA_JAVA_OPTS");
        assertThat(run(backup)).contains("Success");
    }

    @Test
    void withoutAJarTheLauncherSaysHowToBuildOne() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bin/athena", "--version").redirectErrorStream(true);
        pb.environment().put("ATHENA_JAR", tmp.resolve("missing.jar").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(out.strip()).startsWith("athena: ATHENA_JAR=").contains("is not a file").contains("mvn -B -DskipTests package").doesNotContain("\n");
    }

    @Test
    void aJobThatRanOutOfHeapSaysHowToGiveItMore() {
        assertThat(Failures.heapHint(new IllegalStateException("cannot store a/b", new OutOfMemoryError("Java heap space"))))
                .contains("ATHENA_JAVA_OPTS=-Xmx1g");
        assertThat(Failures.heapHint(new IllegalStateException("disk full"))).isEmpty();
    }
}
