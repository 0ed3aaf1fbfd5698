package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.athena.testing.ServiceFixture;

/**
 * The dashboard as an operator uses it, in a real headless Chromium (Debian's, driven through its
 * chromedriver) against a real service on a real port: log in, start a backup and watch its
 * progress bar and its end, start a dry-run restore, open its report. Screenshots go to
 * target/dashboard-*.png. The browser may reach nothing but the service.
 */
class DashboardTest {
    @TempDir
    Path tmp;

    private static WebDriver chromium(Path profile) {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                        "--user-data-dir=" + profile, "--disable-background-networking", "--disable-component-update", "--no-first-run",
                        // Any host but localhost fails to resolve: a resource from elsewhere would show up as missing.
                        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path target = Path.of("target", "dashboard-" + name + ".png");
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void anOperatorLogsInBacksUpWatchesItRunTriesARestoreAndReadsTheReport() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("service"), java.time.Clock.systemUTC(),
                java.util.Map.of("COPY_TO", tmp.resolve("offsite").toString()))) {
            byte[] data = new byte[2_000_000];
            new Random(5).nextBytes(data);
            Files.write(athena.metagraph.resolve("big.bin"), data);
            WebDriver browser = chromium(tmp.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(athena.url("/"));
                WebElement key = wait.until(d -> d.findElement(By.id("api-key")).isDisplayed() ? d.findElement(By.id("api-key")) : null);
                screenshot(browser, "1-login");

                key.sendKeys("wrong-key-0123456789");
                browser.findElement(By.cssSelector("#login-form button")).click();
                wait.until(d -> d.findElement(By.id("login-error")).getText().contains("refused"));
                assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();

                browser.findElement(By.id("api-key")).sendKeys(ServiceFixture.KEY);
                browser.findElement(By.cssSelector("#login-form button")).click();
                wait.until(d -> d.findElement(By.id("app")).isDisplayed());
                wait.until(d -> d.findElement(By.id("schedule")).getText().contains("Retention"));
                assertThat(browser.findElement(By.id("schedule")).getText()).contains("90 days", "metagraph");
                wait.until(d -> d.findElement(By.id("verification")).getText().contains("VERIFY_FREQUENCY"));
                assertThat(browser.findElement(By.id("no-backups")).isDisplayed()).isTrue();
                assertThat((String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('athena-api-key')"))
                        .as("kept for this tab only").isEqualTo(ServiceFixture.KEY);

                // A first backup, so the next one has a size to measure its progress against.
                browser.findElement(By.id("backup-now")).click();
                wait.until(d -> d.findElements(By.cssSelector("#backups tbody tr .status-Success")).size() == 1);

                athena.blocking.holdAfterData();
                browser.findElement(By.id("backup-now")).click();
                assertThat(athena.blocking.awaitDataDone()).isTrue();
                // Once the data is read, the bar has a share to show: the last backup's size is the total.
                WebElement bar = wait.until(d -> {
                    List<WebElement> bars = d.findElements(By.cssSelector("#backups tbody tr [role=progressbar][aria-valuenow]"));
                    return bars.isEmpty() ? null : bars.get(0);
                });
                assertThat(Double.parseDouble(bar.getAttribute("aria-valuenow"))).isBetween(0.0, 100.0);
                assertThat(browser.findElement(By.cssSelector("#backups tbody tr")).getText()).contains("Running", "backing up", "metagraph");
                screenshot(browser, "2-backup-running");
                athena.blocking.release();
                wait.until(d -> d.findElements(By.cssSelector("#backups tbody tr .status-Success")).size() == 2);
                assertThat(browser.findElements(By.cssSelector("#backups [role=progressbar]"))).isEmpty();
                assertThat(browser.findElement(By.cssSelector("#backups tbody tr")).getText()).contains("MiB");
                screenshot(browser, "3-backups");
                // COPY_TO: the schedule shows the second location, and the restore may read from it once both backups are there.
                wait.until(d -> d.findElement(By.id("schedule")).getText().contains("2 backups there"));
                assertThat(browser.findElement(By.id("schedule")).getText()).contains("Second location", "after each backup", "last copy Success");

                browser.findElement(By.cssSelector("#backups tbody tr button")).click();
                assertThat(browser.findElement(By.id("restore-dry-run")).isSelected()).as("a dry run first").isTrue();
                assertThat(browser.findElement(By.id("restore-from-copy")).isDisplayed()).isTrue();
                browser.findElement(By.id("restore-from-copy")).click();
                String newest = browser.findElement(By.cssSelector("#backups tbody tr")).getAttribute("data-timestamp");
                assertThat(new Select(browser.findElement(By.id("restore-timestamp"))).getFirstSelectedOption().getAttribute("value"))
                        .isEqualTo(newest);
                browser.findElement(By.id("restore-start")).click();
                wait.until(d -> d.findElements(By.cssSelector("#restores tbody tr .status-Success")).size() == 1);
                WebElement restore = browser.findElement(By.cssSelector("#restores tbody tr"));
                assertThat(restore.getText()).contains("Success (dry run)", "pre-restore checks: Success", "restore: skipped");
                assertThat(athena.call("GET", "/athena/api/v1/restorestatus?timestamp=" + newest, null).json().path("request").path("location").asText())
                        .as("read from the second location").isEqualTo("secondary");
                screenshot(browser, "4-restore");

                // A drill of the newest backup, from its own button: it ends Success, in the drills' table.
                browser.findElement(By.id("drill-now")).click();
                wait.until(d -> d.findElements(By.cssSelector("#drills tbody tr .status-Success")).size() == 1);
                assertThat(browser.findElement(By.cssSelector("#drills tbody tr")).getText()).contains(newest, "cleanup: Success");
                screenshot(browser, "4b-drill");

                String dashboard = browser.getWindowHandle();
                // Found again: the tables are drawn anew at each refresh.
                browser.findElement(By.cssSelector("#restores tbody tr button[data-report]")).click();
                wait.until(d -> d.getWindowHandles().size() == 2);
                for (String handle : browser.getWindowHandles()) {
                    if (!handle.equals(dashboard)) {
                        browser.switchTo().window(handle);
                    }
                }
                wait.until(d -> d.findElement(By.tagName("body")).getText().contains("Disaster recovery report"));
                assertThat(browser.findElement(By.tagName("body")).getText()).contains(newest);
                screenshot(browser, "5-report");
                browser.close();
                browser.switchTo().window(dashboard);

                // Nothing came from elsewhere: every resource the page loaded is the service's own.
                @SuppressWarnings("unchecked")
                List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                        "return performance.getEntriesByType('resource').map(e => e.name)");
                assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(athena.url("/")));

                // On a phone: the page fits the screen's width; wide tables scroll inside their own box.
                browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                Number overflow = (Number) ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(overflow.intValue()).as("no sideways scrolling of the page").isLessThanOrEqualTo(0);
                screenshot(browser, "6-phone");

                browser.findElement(By.id("logout")).click();
                wait.until(d -> d.findElement(By.id("login")).isDisplayed());
                assertThat((String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('athena-api-key')")).isNull();
            } finally {
                browser.quit();
            }
        }
    }

    /**
     * Continuous verification and retention as the operator sees them, on the service's injected
     * clock: the cycle read back, what retention keeps and why, and a damaged backup marked.
     */
    @Test
    void anOperatorSeesTheVerificationCycleWhatRetentionKeepsAndADamagedBackup() throws Exception {
        dev.athena.testing.MutableClock clock = new dev.athena.testing.MutableClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("service"), clock,
                java.util.Map.of("VERIFY_FREQUENCY", "0 0 4 * * *", "VERIFY_READ_DATA_PERCENT", "100", "RETENTION_KEEP_DAILY", "7"))) {
            byte[] data = new byte[1_000_000];
            new Random(7).nextBytes(data);
            Files.write(athena.metagraph.resolve("old.bin"), data);
            String first = athena.backup();
            Files.delete(athena.metagraph.resolve("old.bin"));
            clock.set(java.time.Instant.parse("2026-12-01T12:00:00Z"));
            String second = athena.backup();
            WebDriver browser = chromium(tmp.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(athena.url("/"));
                wait.until(d -> d.findElement(By.id("api-key")).isDisplayed());
                browser.findElement(By.id("api-key")).sendKeys(ServiceFixture.KEY);
                browser.findElement(By.cssSelector("#login-form button")).click();
                wait.until(d -> d.findElement(By.id("verification")).getText().contains("Last run"));
                assertThat(browser.findElement(By.id("verification")).getText()).contains("on 0 0 4 * * *", "100% of the packs", "no run yet",
                        "Last complete cycle\nnone yet");
                WebElement newest = browser.findElement(By.cssSelector("#backups tbody tr[data-timestamp='" + second + "']"));
                assertThat(newest.getText()).contains("kept", "the newest successful backup", "within 90 days");

                // 04:00 the next day: one run reads every pack back, a complete cycle, which proves the newest backup restorable.
                clock.set(java.time.Instant.parse("2026-12-02T04:00:01Z"));
                browser.navigate().refresh();
                wait.until(d -> d.findElement(By.id("verification")).getText().contains("Success at 2026-12-02"));
                assertThat(browser.findElement(By.id("verification")).getText()).contains("Last complete cycle\n2026-12-02", "every stored byte read back");
                wait.until(d -> d.findElement(By.cssSelector("#backups tbody tr[data-timestamp='" + second + "']")).getText()
                        .contains("the newest backup proven restorable"));
                screenshot(browser, "7-verification");

                // A byte of the first backup's data changes on disk: the next run finds it, and both the section and the backup say so.
                Path pack;
                try (java.util.stream.Stream<Path> files = Files.walk(athena.root.resolve("backups/app/repository/data"))) {
                    pack = files.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(f -> f.toFile().length())).orElseThrow();
                }
                byte[] bytes = Files.readAllBytes(pack);
                bytes[bytes.length / 3] ^= 0x40;
                Files.write(pack, bytes);
                clock.set(java.time.Instant.parse("2026-12-03T04:00:01Z"));
                browser.navigate().refresh();
                wait.until(d -> d.findElement(By.id("verification")).getText().contains("Damaged backups"));
                assertThat(browser.findElement(By.id("verification")).getText()).contains(first, "old.bin");
                assertThat(browser.findElement(By.cssSelector("#backups tbody tr[data-timestamp='" + first + "']")).getText())
                        .contains("Failed (damaged)");
                screenshot(browser, "8-damage");

                // A restore to a moment from the form: the newest good backup before it, checked in a dry run.
                browser.findElement(By.id("restore-target-time")).sendKeys("2026-12-02T00:00:00Z");
                browser.findElement(By.id("restore-start")).click();
                wait.until(d -> d.findElement(By.id("restore-message")).getText().contains("to 2026-12-02T00:00:00Z started"));
                wait.until(d -> d.findElements(By.cssSelector("#restores tbody tr .status-Success")).size() == 1);
                assertThat(athena.call("GET", "/athena/api/v1/restorestatus?timestamp=" + second, null).json().path("request").path("targetTime")
                        .asText()).isEqualTo("2026-12-02T00:00:00Z");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void thePageIsServedWithAPolicyThatAllowsOnlyItsOwnFiles() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("service"))) {
            var http = java.net.http.HttpClient.newHttpClient();
            var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(athena.url("/"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
                    assertThat(p).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"));
            assertThat(page.body()).doesNotContain("http://").doesNotContain("https://").doesNotContain("@import");
            for (String asset : List.of("/dashboard.js", "/dashboard.css")) {
                var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(athena.url(asset))).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).doesNotContain("http://").doesNotContain("https://").doesNotContain("innerHTML");
            }
            assertThat(athena.call("GET", "/athena/api/v1/schedule", null).json().get("retentionDays").asInt()).isEqualTo(90);
            assertThat(athena.send("GET", "/athena/api/v1/schedule", null).status()).as("the data needs the key").isEqualTo(401);
        }
    }
}
