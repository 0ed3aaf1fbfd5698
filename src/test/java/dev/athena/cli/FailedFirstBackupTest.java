package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.AthenaProcess;

/** A first backup that fails leaves no repository behind: the next run may still choose encryption. */
class FailedFirstBackupTest {
    @TempDir
    Path tmp;

    private int backup(Path log, String key, String volume) throws Exception {
        ProcessBuilder pb = AthenaProcess.builder(List.of(), "backup", "--location", tmp.resolve("backups").toString(), "--volume", volume)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (key != null) {
            pb.environment().put("ATHENA_ENCRYPTION_KEY", key);
        } else {
            pb.environment().remove("ATHENA_ENCRYPTION_KEY");
        }
        return pb.start().waitFor();
    }

    @Test
    void theNextRunCanStillChooseEncryption() throws Exception {
        Path log = tmp.resolve("backup.log");
        assertThat(backup(log, null, "metagraph=" + tmp.resolve("no-such-folder"))).isEqualTo(1);
        assertThat(Files.readString(log)).contains("no-such-folder");
        try (Stream<Path> left = Files.walk(tmp.resolve("backups"))) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("objects left in the location").isEmpty();
        }

        Files.createDirectories(tmp.resolve("data"));
        Files.writeString(tmp.resolve("data/file"), "content");
        assertThat(backup(log, "an-encryption-key-0123456789", "metagraph=" + tmp.resolve("data"))).as(Files.readString(log)).isZero();
        assertThat(Files.readString(tmp.resolve("backups/app/repository/config"))).contains("AES-256-GCM");
    }
}
