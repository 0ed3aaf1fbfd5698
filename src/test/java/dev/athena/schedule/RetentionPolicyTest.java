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

    /** A simulated year of backups every 2 hours (4,380), judged at the year's end with only the calendars (period 0). */
    private static List<RetentionPolicy.Kept> aYearEveryTwoHours() {
        List<RetentionPolicy.Kept> all = new java.util.ArrayList<>();
        for (Instant t = Instant.parse("2026-01-01T00:00:00Z"); t.isBefore(Instant.parse("2027-01-01T00:00:00Z")); t = t.plusSeconds(7200)) {
            all.add(backup(dev.athena.backup.Timestamps.of(t), Status.Success));
        }
        return all;
    }

    private static java.util.Set<String> kept(RetentionPolicy policy, List<RetentionPolicy.Kept> all, Instant now) {
        java.util.Set<String> out = new java.util.TreeSet<>(all.stream().map(RetentionPolicy.Kept::timestamp).toList());
        out.removeAll(policy.expired(all, now));
        return out;
    }

    @Test
    void aYearOfTwoHourlyBackupsKeepsWhatResticsForgetKeepRulesKeep() {
        List<RetentionPolicy.Kept> all = aYearEveryTwoHours();
        assertThat(all).hasSize(4380);
        Instant yearEnd = Instant.parse("2027-01-01T00:00:00Z");
        RetentionPolicy gfs = new RetentionPolicy(0, new RetentionPolicy.Keep(6, 7, 4, 12, 3));
        java.util.Set<String> expected = new java.util.TreeSet<>();
        // hourly 6: the newest of each of the last 6 hours that have a backup (every other hour has one)
        for (String h : List.of("22", "20", "18", "16", "14", "12")) {
            expected.add("2026-12-31t" + h + "-00-00");
        }
        // daily 7: the last backup (22:00) of Dec 25 to 31
        for (int d = 25; d <= 31; d++) {
            expected.add("2026-12-" + d + "t22-00-00");
        }
        // weekly 4, ISO weeks (Monday first; 2026 has 53): Thu Dec 31 (W53), Sun Dec 27 (W52), Sun Dec 20 (W51), Sun Dec 13 (W50)
        expected.addAll(List.of("2026-12-31t22-00-00", "2026-12-27t22-00-00", "2026-12-20t22-00-00", "2026-12-13t22-00-00"));
        // monthly 12: the last backup of every month of the year
        for (String last : List.of("01-31", "02-28", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30", "12-31")) {
            expected.add("2026-" + last + "t22-00-00");
        }
        // yearly 3: only one year has backups, so one is kept (restic keeps the newest of each year that has any)
        expected.add("2026-12-31t22-00-00");
        assertThat(kept(gfs, all, yearEnd)).isEqualTo(expected);
        assertThat(expected).as("overlaps: Dec 31 22:00 is kept by every calendar, Dec 27 22:00 by the daily and the weekly")
                .hasSize(6 + (7 - 1) + (4 - 2) + (12 - 1) + (1 - 1));

        List<RetentionPolicy.Decision> plan = gfs.plan(all, yearEnd);
        assertThat(plan.get(0).timestamp()).as("newest first").isEqualTo("2026-12-31t22-00-00");
        assertThat(plan.get(0).reasons()).containsExactly("the newest successful backup", "hourly 2026-12-31 22:00", "daily 2026-12-31",
                "weekly 2026-W53", "monthly 2026-12", "yearly 2026");
        assertThat(plan).filteredOn(d -> d.timestamp().equals("2026-12-27t22-00-00")).singleElement()
                .satisfies(d -> assertThat(d.reasons()).containsExactly("daily 2026-12-27", "weekly 2026-W52"));
        assertThat(plan).filteredOn(d -> d.timestamp().equals("2026-06-15t10-00-00")).singleElement()
                .satisfies(d -> assertThat(d.keep()).isFalse());
    }

    @Test
    void theCalendarsAddToThePeriodAndCountOnlySuccessfulBackups() {
        List<RetentionPolicy.Kept> all = new java.util.ArrayList<>(aYearEveryTwoHours());
        // The year's last day failed from noon on: a failed backup is no day's backup.
        all.replaceAll(b -> b.timestamp().compareTo("2026-12-31t12-00-00") >= 0 ? backup(b.timestamp(), Status.Failed) : b);
        Instant yearEnd = Instant.parse("2027-01-01T00:00:00Z");
        java.util.Set<String> kept = kept(new RetentionPolicy(1, new RetentionPolicy.Keep(0, 2, 0, 0, 0)), all, yearEnd);
        assertThat(kept).as("a day of every backup (failed ones too), and the last successful one of each of the last 2 days with one")
                .contains("2026-12-31t10-00-00", "2026-12-30t22-00-00", "2026-12-31t00-00-00", "2026-12-31t22-00-00")
                .doesNotContain("2026-12-29t22-00-00", "2026-12-30t20-00-00");
        assertThat(kept).hasSize(12 + 1);
    }

    @Test
    void theNewestBackupProvenRestorableSurvivesEveryRule() {
        List<RetentionPolicy.Kept> all = new java.util.ArrayList<>(aYearEveryTwoHours());
        // June 15 was the last backup a drill restored (or a verification cycle read back whole); nothing newer was proven.
        all.replaceAll(b -> b.timestamp().startsWith("2026-06-1") ? new RetentionPolicy.Kept(b.timestamp(), true, true,
                b.timestamp().compareTo("2026-06-15t10-00-00") <= 0) : b);
        Instant yearEnd = Instant.parse("2027-01-01T00:00:00Z");
        RetentionPolicy daily = new RetentionPolicy(0, new RetentionPolicy.Keep(0, 7, 0, 0, 0));
        java.util.Set<String> kept = kept(daily, all, yearEnd);
        assertThat(kept).as("7 days and the proven one").hasSize(7 + 1).contains("2026-06-15t10-00-00");
        assertThat(daily.plan(all, yearEnd)).filteredOn(d -> d.timestamp().equals("2026-06-15t10-00-00")).singleElement()
                .satisfies(d -> assertThat(d.reasons()).containsExactly("the newest backup proven restorable (a drill or a verification cycle)"));
    }
}
