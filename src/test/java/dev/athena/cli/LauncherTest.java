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

    /**
     * A jar like the released one for the class archive: the JVM archives classes from jars only, so this
     * build's classes go into a jar of their own and the manifest lists it with the dependencies' jars.
     */
    private Path jarOfJars() throws Exception {
        List<String> classPath = new java.util.ArrayList<>();
        for (Path p : expanded(System.getProperty("java.class.path"))) {
            if (Files.isDirectory(p)) {
                if (p.endsWith("test-classes")) {
                    continue;
                }
                Path packed = tmp.resolve("classes-" + classPath.size() + ".jar");
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(packed));
                     java.util.stream.Stream<Path> walk = Files.walk(p)) {
                    for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(new java.util.jar.JarEntry(p.relativize(f).toString().replace(File.separatorChar, '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
                classPath.add(tmp.relativize(packed).toString());
            } else {
                // Relative to the jar's folder: the class archive reads every Class-Path entry so, and finds nothing at a URL or an absolute path.
                classPath.add(tmp.toAbsolutePath().relativize(p).toString());
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path jar = tmp.resolve("athena.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    /** The class path's entries, with each jar's manifest Class-Path followed (surefire runs the tests from such a jar). */
    private static List<Path> expanded(String classPath) throws Exception {
        List<Path> all = new java.util.ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath();
            all.add(p);
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(p.toFile())) {
                    Manifest m = jar.getManifest();
                    String more = m == null ? null : m.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                    if (more != null) {
                        for (String url : more.trim().split("\\s+")) {
                            all.add(Path.of(p.getParent().toUri().resolve(url)));
                        }
                    }
                }
            }
        }
        return all;
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
        assertThat(out).contains("-XX:+UseSerialGC").contains("-XX:InitialHeapSize=16777216").contains("-XX:MaxHeapSize=167772160")
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
    void theClassArchiveIsMadeFromASelftestAndUsedWhileItIsNewerThanTheJar() throws Exception {
        Path jar = jarOfJars();
        ProcessBuilder make = new ProcessBuilder("bin/athena", "class-archive");
        make.environment().put("ATHENA_JAR", jar.toString());
        make.environment().remove("ATHENA_JAVA_OPTS");
        make.environment().remove("ATHENA_CLASS_ARCHIVE");
        assertThat(run(make)).contains("class archive written to " + tmp.resolve("athena.jsa"));
        assertThat(tmp.resolve("athena.jsa")).isNotEmptyFile();

        ProcessBuilder nowhere = new ProcessBuilder("bin/athena", "class-archive").redirectErrorStream(true);
        nowhere.environment().put("ATHENA_JAR", jar.toString());
        nowhere.environment().put("ATHENA_CLASS_ARCHIVE", tmp.resolve("missing-folder/athena.jsa").toString());
        Process refused = nowhere.start();
        String said = new String(refused.getInputStream().readAllBytes()).strip();
        assertThat(refused.waitFor()).isEqualTo(1);
        assertThat(said).startsWith("athena: cannot write the class archive into").contains("ATHENA_CLASS_ARCHIVE").doesNotContain("\n");

        ProcessBuilder version = new ProcessBuilder("bin/athena", "--version");
        version.environment().put("ATHENA_JAR", jar.toString());
        version.environment().remove("ATHENA_JAVA_OPTS");
        version.environment().remove("ATHENA_CLASS_ARCHIVE");
        version.environment().put("JDK_JAVA_OPTIONS", "-Xlog:class+load=info");
        assertThat(run(version)).contains("dev.athena.cli.Main source: shared objects file (top)").contains("athena 0.1.0");

        version.environment().put("ATHENA_CLASS_ARCHIVE", "off");
        assertThat(run(version)).doesNotContain("dev.athena.cli.Main source: shared objects file").contains("athena 0.1.0");

        // A jar built after the archive: the archive is stale and left alone, without a word.
        version.environment().remove("ATHENA_CLASS_ARCHIVE");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        String stale = run(version);
        assertThat(stale).doesNotContain("dev.athena.cli.Main source: shared objects file").doesNotContain("warning").contains("athena 0.1.0");
    }

    @Test
    void theSelftestPassesWithoutTouchingTheConfiguredLocation() throws Exception {
        Path production = tmp.resolve("production-backups");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(java.util.Map.of("LOCAL_BACKUP_LOCATION", production.toString(), "METAGRAPH_VOLUME_PATH", tmp.resolve("live").toString()),
                new java.io.PrintWriter(err, true), "selftest", "--dir", tmp.resolve("selftest").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(production).doesNotExist();
        assertThat(tmp.resolve("live")).doesNotExist();
        assertThat(tmp.resolve("selftest/restored-cli/large.bin")).hasSameBinaryContentAs(tmp.resolve("selftest/volume/large.bin"));

        java.io.StringWriter again = new java.io.StringWriter();
        assertThat(Main.run(java.util.Map.of(), new java.io.PrintWriter(again, true), "selftest", "--dir", tmp.resolve("selftest").toString())).isEqualTo(1);
        assertThat(again.toString().strip()).contains("is not empty: give a new or empty folder").doesNotContain("\n");
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
