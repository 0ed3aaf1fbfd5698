package dev.athena.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DemoTest {
    @Test
    void theDemoBacksUpRestoresElsewhereChecksAndPrintsTheReportsPath() throws Exception {
        // Like the CLI, in a folder of its own under the system temp folder, which the postgres user can reach.
        Path tmp = Files.createTempDirectory("athena-demo-test-");
        try {
            run(tmp);
        } finally {
            new ProcessBuilder("rm", "-rf", tmp.toString()).start().waitFor();
        }
    }

    private void run(Path tmp) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path report = new Demo(tmp, new PrintStream(out, true)).run();
        String printed = out.toString();
        assertThat(printed).contains("PostgreSQL: two clusters started").contains("of namespace prod: Success")
                .contains("restore into namespace dr: Success").contains("report: " + report);
        assertThat(printed).containsPattern("checks: (\\d+) of \\1 passed");
        assertThat(Files.readString(report)).contains("Disaster recovery report").contains("prod").contains("1.1.0");
        assertThat(Files.readString(tmp.resolve("dr/config/PUBLIC_HOSTNAME"))).isEqualTo("dr.example.com");
        assertThat(Files.readString(tmp.resolve("dr/config/FEATURE_FLAGS"))).isEqualTo("lineage,search");
    }
}
