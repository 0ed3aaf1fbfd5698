package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.AthenaProcess;

/**
 * forget, prune and a restore over a folder that holds data say what they will delete and ask;
 * where nobody can answer (no terminal) they stop unless given --yes, and nothing is touched. The
 * questions are answered through a real pseudo-terminal (util-linux's script), as a person would.
 */
class ConfirmationTest {
    @TempDir
    Path tmp;
    private Path location;
    private Path data;

    record Run(int code, String out) {
    }

    private Run athena(String... args) throws Exception {
        Process p = AthenaProcess.builder(List.of(), args).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    /** The command run on a pseudo-terminal, {@code answer} typed at it. */
    private Run atTerminal(String answer, String... args) throws Exception {
        StringBuilder command = new StringBuilder();
        for (String a : AthenaProcess.builder(List.of(), args).command()) {
            command.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        ProcessBuilder b = new ProcessBuilder("script", "-qec", command.toString(), "/dev/null").redirectErrorStream(true);
        b.environment().put("TERM", "dumb");
        Process p = b.start();
        p.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static List<String> ownLines(Run r) {
        List<String> out = new ArrayList<>();
        r.out().lines().filter(l -> !l.matches("\\d{4}-\\d{2}-\\d{2}T.* (INFO|WARN) .*")).forEach(out::add);
        return out;
    }

    @BeforeEach
    void twoBackups() throws Exception {
        location = tmp.resolve("backups");
        data = Files.createDirectories(tmp.resolve("data"));
        byte[] big = new byte[400_000];
        new java.util.Random(3).nextBytes(big);
        Files.write(data.resolve("big.bin"), big);
        assertThat(athena("backup", "--location", location.toString(), "--volume", "data=" + data, "--timestamp", "2026-12-01t00-00-00").code())
                .isZero();
        Files.delete(data.resolve("big.bin"));
        Files.writeString(data.resolve("small.txt"), "small");
        assertThat(athena("backup", "--location", location.toString(), "--volume", "data=" + data, "--timestamp", "2026-12-02t00-00-00").code())
                .isZero();
    }

    @Test
    void withoutATerminalNothingIsDeletedUnlessYesIsGiven() throws Exception {
        Run forget = athena("forget", "--location", location.toString(), "--timestamp", "2026-12-01t00-00-00");
        assertThat(forget.code()).isEqualTo(2);
        assertThat(ownLines(forget)).singleElement().asString().contains("backup 2026-12-01t00-00-00", "add --yes");
        assertThat(athena("list", "--location", location.toString()).out()).contains("2026-12-01t00-00-00");
        assertThat(athena("forget", "--yes", "--location", location.toString(), "--timestamp", "2026-12-01t00-00-00").code()).isZero();

        long packs;
        try (var files = Files.walk(location)) {
            packs = files.filter(f -> f.toString().contains("/packs/")).filter(Files::isRegularFile).count();
        }
        Run planned = athena("prune", "--dry-run", "--location", location.toString());
        assertThat(planned.code()).isZero();
        assertThat(planned.out()).contains("prune would free:", "deleted");
        Run prune = athena("prune", "--location", location.toString());
        assertThat(prune.code()).isEqualTo(2);
        assertThat(ownLines(prune)).singleElement().asString().contains("prune deletes data no backup", "add --yes");
        try (var files = Files.walk(location)) {
            assertThat(files.filter(f -> f.toString().contains("/packs/")).filter(Files::isRegularFile).count()).as("nothing deleted").isEqualTo(packs);
        }
        Run pruned = athena("prune", "--yes", "--location", location.toString());
        assertThat(pruned.code()).as(pruned.out()).isZero();
        assertThat(pruned.out()).contains("prune freed:");
        assertThat(athena("prune", "--yes", "--location", location.toString()).out()).contains("nothing to prune");

        Files.writeString(data.resolve("new.txt"), "made after the backups");
        Run restore = athena("restore", "--location", location.toString(), "--timestamp", "2026-12-02t00-00-00", "--volume", "data=" + data);
        assertThat(restore.code()).isEqualTo(2);
        assertThat(ownLines(restore)).singleElement().asString().contains("data: " + data + " holds 2 entries", "add --yes");
        assertThat(data.resolve("new.txt")).exists();
        Run dry = athena("restore", "--dry-run", "--location", location.toString(), "--timestamp", "2026-12-02t00-00-00", "--volume", "data=" + data);
        assertThat(dry.code()).as(dry.out()).isZero();
        assertThat(dry.out()).contains("dry run: nothing was written", "restore data");
        assertThat(data.resolve("new.txt")).exists();
        Path fresh = tmp.resolve("fresh");
        assertThat(athena("restore", "--location", location.toString(), "--timestamp", "2026-12-02t00-00-00", "--volume", "data=" + fresh).code())
                .as("an empty or missing folder loses nothing: no question").isZero();
        assertThat(athena("restore", "--yes", "--location", location.toString(), "--timestamp", "2026-12-02t00-00-00", "--volume", "data=" + data)
                .code()).isZero();
        assertThat(data.resolve("new.txt")).doesNotExist();
    }

    @Test
    void aPersonAtATerminalIsAskedAndNoMeansNothingChanges() throws Exception {
        Run no = atTerminal("n", "forget", "--location", location.toString(), "--timestamp", "2026-12-01t00-00-00");
        assertThat(no.out()).contains("this deletes a backup of namespace app", "backup 2026-12-01t00-00-00 (data; taken", "Go ahead? [y/N]",
                "cancelled: nothing was changed");
        assertThat(no.code()).isEqualTo(1);
        assertThat(athena("list", "--location", location.toString()).out()).contains("2026-12-01t00-00-00");

        Run yes = atTerminal("y", "forget", "--location", location.toString(), "--timestamp", "2026-12-01t00-00-00");
        assertThat(yes.code()).as(yes.out()).isZero();
        assertThat(yes.out()).contains("deleted backup 2026-12-01t00-00-00");
        assertThat(athena("list", "--location", location.toString()).out()).doesNotContain("2026-12-01t00-00-00");
    }
}
