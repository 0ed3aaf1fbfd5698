package dev.athena.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;


class RetentionPolicyTest {
    private enum Status { Running, Success, Failed }

    private static RetentionPolicy.Kept backup(String ts, Status status) {
        return new RetentionPolicy.Kept(ts, status != Status.Running, status == Status.Success);
    }

    private final Instant now = Instant.parse("2026-06-01T00:00:00Z");

    @Test
    void backupsOlderThanThePeriodGoButTheNewestSuccessfulOneStays() {
        List<RetentionPolicy.Kept> all = List.of(backup("2026-01-01t00-00-00", Status.Success), backup("2026-02-01t00-00-00", Status.Success),
                backup("2026-02-02t00-00-00", Status.Failed), backup("2026-05-30t00-00-00", Status.Success),
                backup("2026-01-15t00-00-00", Status.Running));
        assertThat(new RetentionPolicy(90).expired(all, now)).containsExactly("2026-01-01t00-00-00", "2026-02-01t00-00-00", "2026-02-02t00-00-00");
    }

    @Test
    void theNewestSuccessfulBackupIsKeptWhateverItsAge() {
        List<RetentionPolicy.Kept> all = List.of(backup("2025-01-01t00-00-00", Status.Success), backup("2025-02-01t00-00-00", Status.Success),
                backup("2026-05-31t00-00-00", Status.Failed));
        assertThat(new RetentionPolicy(90).expired(all, now)).containsExactly("2025-01-01t00-00-00");
    }

    @Test
    void zeroKeepsOnlyTheNewestSuccessfulBackup() {
        List<RetentionPolicy.Kept> all = List.of(backup("2026-05-31t22-00-00", Status.Success), backup("2026-05-31t23-00-00", Status.Success),
                backup("2026-05-31t23-30-00", Status.Failed));
        assertThat(new RetentionPolicy(0).expired(all, now)).containsExactly("2026-05-31t22-00-00", "2026-05-31t23-30-00");
    }
}
