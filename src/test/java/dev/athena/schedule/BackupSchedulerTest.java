package dev.athena.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.athena.config.AthenaConfig;
import dev.athena.config.ConfigException;
import dev.athena.testing.MutableClock;

/** On an injected clock: no test waits for real minutes. */
class BackupSchedulerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:30:00Z"));
    private final AtomicInteger backups = new AtomicInteger();
    private final AtomicInteger sweeps = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();

    private BackupScheduler scheduler(String cron) {
        return new BackupScheduler(CronSchedule.parse(cron), true, clock, () -> {
            if (busy.get()) {
                return false;
            }
            backups.incrementAndGet();
            return true;
        }, () -> {
            sweeps.incrementAndGet();
            return true;
        }, Duration.ofHours(1));
    }

    private void at(BackupScheduler s, String time) {
        clock.set(Instant.parse(time));
        s.tick();
    }

    @Test
    void theSeedsSixFieldDefaultFiresEveryTwoHoursOnTheHour() {
        BackupScheduler s = scheduler("0 0 */2 * * *");
        assertThat(s.nextBackup()).isEqualTo(Instant.parse("2026-01-01T02:00:00Z"));
        at(s, "2026-01-01T01:59:59Z");
        assertThat(backups).hasValue(0);
        at(s, "2026-01-01T02:00:00Z");
        assertThat(backups).hasValue(1);
        at(s, "2026-01-01T03:00:00Z");
        assertThat(backups).hasValue(1);
        at(s, "2026-01-01T04:00:01Z");
        assertThat(backups).hasValue(2);
        assertThat(s.nextBackup()).isEqualTo(Instant.parse("2026-01-01T06:00:00Z"));
    }

    @Test
    void fiveFieldUnixCronIsAccepted() {
        BackupScheduler s = scheduler("*/15 * * * *");
        assertThat(s.nextBackup()).isEqualTo(Instant.parse("2026-01-01T00:45:00Z"));
        at(s, "2026-01-01T00:45:00Z");
        at(s, "2026-01-01T01:00:00Z");
        assertThat(backups).hasValue(2);
    }

    @Test
    void aRunDueWhileAJobIsGoingIsSkippedNotQueued() {
        BackupScheduler s = scheduler("0 0 */2 * * *");
        busy.set(true);
        at(s, "2026-01-01T02:00:00Z");
        assertThat(s.skipped()).isEqualTo(1);
        busy.set(false);
        at(s, "2026-01-01T02:30:00Z");
        at(s, "2026-01-01T03:59:59Z");
        assertThat(backups).as("the skipped run is not made up later").hasValue(0);
        at(s, "2026-01-01T04:00:00Z");
        assertThat(backups).hasValue(1);
    }

    @Test
    void retentionSweepsRunHourly() {
        BackupScheduler s = scheduler("0 0 */2 * * *");
        at(s, "2026-01-01T01:00:00Z");
        assertThat(sweeps).hasValue(0);
        at(s, "2026-01-01T01:30:00Z");
        assertThat(sweeps).hasValue(1);
        at(s, "2026-01-01T02:00:00Z");
        assertThat(sweeps).hasValue(1);
        at(s, "2026-01-01T02:30:00Z");
        assertThat(sweeps).hasValue(2);
    }

    @Test
    void invalidSettingsStopTheServiceNamingTheVariable() {
        Map<String, String> env = new HashMap<>(Map.of("BACKUP_FREQUENCY", "every two hours"));
        assertThatThrownBy(() -> AthenaConfig.fromEnv(env)).isInstanceOf(ConfigException.class).hasMessageContaining("BACKUP_FREQUENCY");
        env.put("BACKUP_FREQUENCY", "0 0 25 * * *");
        assertThatThrownBy(() -> AthenaConfig.fromEnv(env)).isInstanceOf(ConfigException.class).hasMessageContaining("BACKUP_FREQUENCY");
        for (String[] bad : new String[][] {{"BACKUP_RETENTION_PERIOD", "-1"}, {"BACKUP_RETENTION_PERIOD", "ninety"},
                {"ENABLE_REGULAR_BACKUPS", "maybe"}, {"BACKUP_LOCATION_TYPE", "ftp"}, {"ATHENA_PORT", "99999"},
                {"LOCAL_BACKUP_LOCATION", "relative/path"}, {"ATHENA_NAMESPACE", "Bad_Namespace"},
                {"METAGRAPH_VOLUME_PATH", "/no/such/folder"}}) {
            Map<String, String> e = Map.of(bad[0], bad[1]);
            assertThatThrownBy(() -> AthenaConfig.fromEnv(e)).as(bad[0]).isInstanceOf(ConfigException.class).hasMessageContaining(bad[0]);
        }
        assertThat(AthenaConfig.fromEnv(Map.of()).frequency().toString()).isEqualTo("0 0 */2 * * *");
        assertThat(AthenaConfig.fromEnv(Map.of()).retentionDays()).isEqualTo(90);
    }
}
