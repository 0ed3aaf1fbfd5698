package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.ExternalCommand;

/** The HTML report as an auditor opens it: rendered by headless Chromium (Debian's package), with no external resources. */
class ReportInBrowserTest {
    @TempDir
    Path tmp;

    private static RestoreRecord sample() {
        RestoreRequest request = new RestoreRequest("2026-11-29t02-00-00", "prod", true, false, false, false, false, Set.of("metagraph"), false, false);
        List<RestoreRecord.Phase> phases = List.of(
                new RestoreRecord.Phase("validate", JobStatus.Success, "2026-11-30T06:00:00Z", "2026-11-30T06:00:01Z", 1000L, "backup holds [postgres, gitserver]"),
                new RestoreRecord.Phase("pre-restore checks", JobStatus.Success, "2026-11-30T06:00:01Z", "2026-11-30T06:00:05Z", 4000L, "5 checks passed"),
                new RestoreRecord.Phase("upgrade", JobStatus.Success, "2026-11-30T06:00:05Z", "2026-11-30T06:02:05Z", 120000L, "upgraded 3.3.0 -> 3.4.1"),
                new RestoreRecord.Phase("restore", JobStatus.Success, "2026-11-30T06:02:05Z", "2026-11-30T06:07:05Z", 300000L, "restored [postgres, gitserver]"),
                new RestoreRecord.Phase("post-restore checks", JobStatus.Success, "2026-11-30T06:07:05Z", "2026-11-30T06:08:05Z", 60000L, "4 checks passed"),
                new RestoreRecord.Phase("report", JobStatus.Success, "2026-11-30T06:08:05Z", "2026-11-30T06:08:05Z", 20L, "written"));
        return new RestoreRecord("file:///backup/prod/2026-11-29t02-00-00/", "prod", JobStatus.Success, "2026-11-29t02-00-00", "dr",
                "2026-11-30t06-00-00-000", "2026-11-30T06:00:00Z", "2026-11-30T06:08:05Z", 485000L, request, phases,
                Map.of("postgres", new RestoreRecord.ComponentOutcome(JobStatus.Success, Map.of("bytes", 123456789L, "tables", 42L, "durationMs", 250000L), null),
                        "metagraph", new RestoreRecord.ComponentOutcome(JobStatus.Success, null, "skipped: svcs.metagraph.disable")),
                List.of("the backup holds config, which this cluster does not have configured: not restored <script>alert(1)</script>"), null,
                "/athena/api/v1/restorereport?timestamp=2026-11-29t02-00-00",
                List.of(new RestoreRecord.Check("post-restore checks", "postgres: row counts of database platform match the backup", true, "42 tables")),
                "3.4.1", "3.3.0", "3.4.1", 485L, 100800L, "upgrading to 3.4.1... done", null, null, null,
                new java.util.LinkedHashMap<>(Map.of(
                        "postgres", new dev.athena.repository.Manifest.Window("2026-11-29T02:00:00.010Z", "2026-11-29T02:04:10Z"),
                        "gitserver", new dev.athena.repository.Manifest.Window("2026-11-29T02:00:00.250Z", "2026-11-29T02:00:30Z"))), null);
    }

    @Test
    void theHtmlReportRendersInChromiumWithoutExternalResources() throws Exception {
        String html = new RecoveryReport(sample()).html();
        Path page = tmp.resolve("report.html");
        Files.writeString(page, html);

        // Nothing is fetched from elsewhere: no src, href, url() or import pointing anywhere.
        assertThat(Pattern.compile("(?i)(src|href)\\s*=").matcher(html).find()).isFalse();
        assertThat(html).doesNotContain("url(").doesNotContain("@import").doesNotContain("http://").doesNotContain("https://");
        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");

        List<String> chromium = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--user-data-dir=" + tmp.resolve("profile"),
                "--host-resolver-rules=MAP * ~NOTFOUND");
        ExternalCommand.Result dom = new ExternalCommand(concat(chromium, "--dump-dom", page.toUri().toString()), Map.of())
                .timeout(java.time.Duration.ofMinutes(2)).check();
        assertThat(dom.stdout()).contains("Disaster recovery report").contains("RTO (restore duration)").contains("8m 05s")
                .contains("RPO").contains("28h 00m 00s").contains("<svg").contains("row counts of database platform")
                .contains("Backup captured").contains("postgres from 2026-11-29T02:00:00.010Z (4m 09s)").contains("all started within 240 ms");

        Path png = tmp.resolve("report.png");
        new ExternalCommand(concat(chromium, "--screenshot=" + png, "--window-size=1280,1800", page.toUri().toString()), Map.of())
                .timeout(java.time.Duration.ofMinutes(2)).check();
        byte[] image = Files.readAllBytes(png);
        assertThat(image.length).isGreaterThan(20_000);
        assertThat(new String(image, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
