package dev.athena.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DrillWindowTest {
    private final DrillWindow everyTwoHours = new DrillWindow(CronSchedule.parse("0 0 */2 * * *"));
    private final Instant backup = Instant.parse("2026-12-02T02:00:00Z");

    @Test
    void aDrillThatWouldRunIntoTheNextBackupWaitsForIt() {
        assertThat(everyTwoHours.waitForBackup(Instant.parse("2026-12-02T01:50:00Z"), Duration.ofMinutes(30), backup)).isTrue();
    }

    @Test
    void aDrillThatEndsBeforeTheBackupRunsAtOnce() {
        assertThat(everyTwoHours.waitForBackup(Instant.parse("2026-12-02T01:00:00Z"), Duration.ofMinutes(30), backup)).isFalse();
        assertThat(everyTwoHours.waitForBackup(Instant.parse("2026-12-02T01:30:00Z"), Duration.ofMinutes(30), backup)).as("ends as it falls due")
                .isFalse();
    }

    @Test
    void aDrillLongerThanTheTimeBetweenBackupsRunsWhenDueForItCouldNeverFit() {
        assertThat(everyTwoHours.waitForBackup(Instant.parse("2026-12-02T01:50:00Z"), Duration.ofHours(3), backup)).isFalse();
    }

    @Test
    void withoutAScheduledBackupOrAnEarlierDrillNothingWaits() {
        assertThat(everyTwoHours.waitForBackup(Instant.parse("2026-12-02T01:50:00Z"), Duration.ofMinutes(30), null)).isFalse();
        assertThat(everyTwoHours.waitForBackup(Instant.parse("2026-12-02T01:50:00Z"), null, backup)).as("the first drill: no duration known")
                .isFalse();
    }
}
