package dev.athena.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java programs under bench/ are compiled only when a benchmark runs; two had stopped
 * compiling against a changed API before anyone noticed. This compiles them against the code
 * and its libraries on every build (nothing is run).
 */
class BenchSourcesCompileTest {
    @TempDir
    Path tmp;

    @Test
    void everyBenchProgramCompilesAgainstTheCurrentCode() throws Exception {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("bench"))) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> sources.add(p.toString()));
        }
        assertThat(sources).isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", tmp.toString(), "-cp", System.getProperty("java.class.path"),
                "-proc:none", "-Xlint:none", "-nowarn"));
        args.addAll(sources);
        StringWriter errors = new StringWriter();
        int code = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }), args.toArray(String[]::new));
        assertThat(code).as(errors.toString()).isZero();
    }
}
