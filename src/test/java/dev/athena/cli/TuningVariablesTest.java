package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.AthenaProcess;

/**
 * The tuning variables are read by the classes that use them; a bad value must still end a CLI
 * command or the service's start with one line naming the variable, not a class-initialization
 * stack trace (which is what it gave before they were checked up front).
 */
class TuningVariablesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({
            "ATHENA_COMPRESSION_LEVEL, 99, backup",
            "ATHENA_TRANSFER_THREADS, lots, backup",
            "ATHENA_COMPONENT_THREADS, 0, backup",
            "ATHENA_COMPONENT_THREADS, 0, serve",
    })
    void aBadValueIsOneLineNamingTheVariable(String variable, String value, String command) throws Exception {
        Files.createDirectories(tmp.resolve("data"));
        List<String> args = command.equals("serve") ? List.of("serve")
                : List.of("backup", "--location", tmp.resolve("repo").toString(), "--volume", "data=" + tmp.resolve("data"));
        ProcessBuilder pb = AthenaProcess.builder(List.of(), args.toArray(String[]::new));
        pb.environment().put(variable, value);
        pb.environment().put("LOCAL_BACKUP_LOCATION", tmp.resolve("repo").toString());
        pb.environment().put("ATHENA_PORT", "0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out.lines()).hasSize(1);
        assertThat(out).startsWith("athena: " + variable + " must be").contains("'" + value + "'");
        assertThat(Files.exists(tmp.resolve("repo"))).as("nothing was written").isFalse();
    }
}
