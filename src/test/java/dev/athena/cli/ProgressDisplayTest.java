package dev.athena.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.athena.concurrent.ProgressMeter;

/** The CLI's progress: plain lines where no terminal reads it, a bar redrawn in place on a terminal, never mixed into the command's own lines. */
class ProgressDisplayTest {
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    private String err() {
        synchronized (err) {
            return errBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void withoutATerminalItPrintsPlainLines() {
        ProgressMeter meter = new ProgressMeter();
        meter.phase("backing up", -1, -1, true);
        meter.componentStarted("metagraph");
        meter.addBytes(3 * 1024 * 1024);
        meter.addFiles(12);
        try (ProgressDisplay display = new ProgressDisplay(meter, out, err, false, 100, Duration.ofMillis(20))) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> err().lines().count() >= 2);
            display.println("restore (12 ms): restored [metagraph]");
        }
        assertThat(err().lines()).allMatch(l -> l.startsWith("backing up: metagraph 3.0 MiB, 12 files"));
        assertThat(err()).doesNotContain("\r").doesNotContain("\033");
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEqualTo("restore (12 ms): restored [metagraph]" + System.lineSeparator());
    }

    @Test
    void onATerminalABarIsRedrawnInPlaceAndClearedBeforeOtherLinesAndAtTheEnd() {
        ProgressMeter meter = new ProgressMeter();
        meter.phase("restore", 1000, -1, false);
        meter.addBytes(450);
        ProgressDisplay display = new ProgressDisplay(meter, out, err, true, 60, Duration.ofMillis(20));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> err().contains("[#########...........] restore: 450 B of 1000 B (45.0%)"));
        display.println("pre-restore checks (3 ms): 4 checks passed");
        display.close();
        String shown = err();
        assertThat(shown).doesNotContain("\n");
        assertThat(shown).as("cleared at the end").endsWith("\r\033[K");
        assertThat(shown.split("\r\033\\[K")).allMatch(bar -> bar.length() < 60);
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEqualTo("pre-restore checks (3 ms): 4 checks passed" + System.lineSeparator());
    }

    @Test
    void aLongLineIsCutToTheTerminalsWidth() {
        ProgressMeter meter = new ProgressMeter();
        meter.phase("backing up", 10_000_000, 500_000, true);
        meter.componentStarted("postgres");
        meter.componentStarted("metagraph");
        meter.componentStarted("gitserver");
        meter.addBytes(5_000_000);
        String bar = ProgressDisplay.bar(meter.snapshot(), 50);
        assertThat(bar).hasSize(49).startsWith("[##########..........] backing up").endsWith("...");
    }
}
