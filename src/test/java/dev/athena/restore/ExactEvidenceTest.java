package dev.athena.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.Trees;

/**
 * Issue 13, item 6: every number in a check is exact and counted once. The pre-restore check of
 * a one-component backup said "all 2 packs it needs (10005030 bytes)" of a repository holding one
 * pack of 5,002,515 bytes: the pack held the file list and the files, and was read and counted for
 * each. Here the check's numbers are compared with the store's own listing of the packs.
 */
class ExactEvidenceTest {
    @TempDir
    Path tmp;

    private static final Pattern NUMBERS = Pattern.compile("(?:the (1) pack|all (\\d+) packs) it needs \\([^,]+, (\\d+) bytes\\)");

    private List<Long> packSizes(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root.resolve("app/repository/data"))) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.size(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static long[] reported(List<DisasterRecovery.Check> checks, String component) {
        DisasterRecovery.Check check = checks.stream().filter(c -> c.name().startsWith(component + ":")).findFirst().orElseThrow();
        Matcher m = NUMBERS.matcher(check.detail());
        assertThat(m.find()).as(check.detail()).isTrue();
        return new long[] {Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2)), Long.parseLong(m.group(3))};
    }

    @Test
    void aOneComponentBackupsCheckCountsTheStoresOnePackOnce() throws Exception {
        Path data = Trees.randomFiles(tmp.resolve("data"), 5, 1_000_000, 1);
        Path root = tmp.resolve("backups");
        Repository repo = Repository.open(new LocalStore(root), "app", "evidence-key-0123456789", true);
        new BackupCommand(repo).timestamp("2026-12-01t00-00-00").volume("data", data).call();
        List<Long> packs = packSizes(root);
        assertThat(packs).as("the setting of the issue: one pack holds the file list and the files").hasSize(1);

        List<DisasterRecovery.Check> checks = new CopyOnWriteArrayList<>();
        new RestoreCommand(Repository.open(new LocalStore(root), "app", "evidence-key-0123456789", false), "2026-12-01t00-00-00")
                .volume("data", tmp.resolve("out")).dryRun(true).listener(new DisasterRecovery.Listener() {
                    @Override
                    public void checked(DisasterRecovery.Check check) {
                        checks.add(check);
                    }
                }).call();
        long[] numbers = reported(checks, "data");
        assertThat(numbers[0]).isEqualTo(1);
        assertThat(numbers[1]).isEqualTo(packs.get(0));
        assertThat(checks.stream().filter(c -> c.name().startsWith("data:")).findFirst().orElseThrow().detail())
                .startsWith("the 1 pack it needs (").contains("its SHA-256");
    }

    @Test
    void twoComponentsSharingPacksEachCountWhatTheyNeedAndNothingIsReadTwice() throws Exception {
        Path a = Trees.randomFiles(tmp.resolve("a"), 30, 200_000, 2);
        Path b = Trees.randomFiles(tmp.resolve("b"), 30, 200_000, 3);
        Path root = tmp.resolve("backups");
        Repository repo = Repository.open(new LocalStore(root), "app", null, true);
        new BackupCommand(repo).timestamp("2026-12-01t00-00-00").volume("a", a).volume("b", b).call();
        List<Long> packs = packSizes(root);
        long total = packs.stream().mapToLong(Long::longValue).sum();

        List<DisasterRecovery.Check> checks = new CopyOnWriteArrayList<>();
        Repository reading = Repository.open(new LocalStore(root), "app", null, false);
        new RestoreCommand(reading, "2026-12-01t00-00-00").volume("a", tmp.resolve("out-a")).volume("b", tmp.resolve("out-b")).dryRun(true)
                .listener(new DisasterRecovery.Listener() {
                    @Override
                    public void checked(DisasterRecovery.Check check) {
                        checks.add(check);
                    }
                }).call();
        long[] forA = reported(checks, "a");
        long[] forB = reported(checks, "b");
        for (long[] n : List.of(forA, forB)) {
            assertThat(n[0]).isBetween(1L, (long) packs.size());
            assertThat(n[1]).isLessThanOrEqualTo(total);
        }
        assertThat(forA[0] + forB[0]).as("together they need every pack the store holds, no more").isGreaterThanOrEqualTo(packs.size());
        assertThat(reading.progress().snapshot().bytesDone()).as("each pack read once, whichever component needed it first")
                .isLessThanOrEqualTo(total);
    }
}
