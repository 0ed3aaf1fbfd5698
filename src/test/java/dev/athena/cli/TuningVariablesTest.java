package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.athena.backup.BackupCommand;
import dev.athena.config.ConfigException;
import dev.athena.config.Tuning;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;

/**
 * The tuning variables are read once, with the rest of the environment, and handed down as values:
 * a bad one ends a CLI command or the service's start with one line naming it, and the values reach
 * the repository. All in this JVM: nothing reads them when a class loads any more.
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
        Map<String, String> env = Map.of(variable, value, "LOCAL_BACKUP_LOCATION", tmp.resolve("repo").toString(), "ATHENA_PORT", "0");
        StringWriter err = new StringWriter();
        int code = Main.run(env, new PrintWriter(err, true), args.toArray(String[]::new));
        String out = err.toString().strip();
        assertThat(code).isEqualTo(1);
        assertThat(out.lines()).hasSize(1);
        assertThat(out).startsWith("athena: " + variable + " must be").contains("'" + value + "'");
        assertThat(Files.exists(tmp.resolve("repo"))).as("nothing was written").isFalse();
    }

    @Test
    void unsetVariablesGiveTheDefaultsAndValuesAreRangeChecked() {
        assertThat(Tuning.fromEnv(Map.of())).isEqualTo(Tuning.DEFAULTS);
        assertThat(Tuning.fromEnv(Map.of("ATHENA_COMPRESSION_LEVEL", " -7 ", "ATHENA_TRANSFER_THREADS", "0", "ATHENA_COMPONENT_THREADS", "64")))
                .isEqualTo(new Tuning(-7, 0, 64));
        assertThatThrownBy(() -> Tuning.fromEnv(Map.of("ATHENA_TRANSFER_THREADS", "65")))
                .isInstanceOf(ConfigException.class).hasMessage("ATHENA_TRANSFER_THREADS must be a number of threads from 0 to 64, got '65'");
    }

    @Test
    void theCompressionLevelReachesTheRepository() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("src"));
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(7);
        while (text.length() < 2_000_000) {
            text.append("record ").append(random.nextInt(5000)).append(": status=").append(random.nextBoolean() ? "ok" : "late").append('\n');
        }
        Files.writeString(source.resolve("log.txt"), text);
        long fast = storedBytes(source, "fast", new Tuning(-7, 0, 1));
        long small = storedBytes(source, "small", new Tuning(19, 2, 1));
        assertThat(small).as("level 19 stores less than level -7").isLessThan(fast);
    }

    private long storedBytes(Path source, String name, Tuning tuning) throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve(name)), "app", null, true, tuning.repositoryOptions(tmp));
        new BackupCommand(repo).componentThreads(tuning.componentThreads()).volume("data", source).call();
        repo.close();
        return repo.storedBytes();
    }
}
