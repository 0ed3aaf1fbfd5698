package dev.athena.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;

/** A run asked to stop ends after one batch of packs and keeps its place; the next run goes on from there and completes the cycle. */
class RollingVerificationTest {
    @TempDir
    Path tmp;

    @Test
    void aRunAskedToStopKeepsItsPlaceAndTheNextCompletesTheCycle() throws Exception {
        Path root = tmp.resolve("backups");
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(data.resolve("f" + i), "content of backup " + i);
            new BackupCommand(Repository.open(new LocalStore(root), "app", null, true)).timestamp(String.format("2026-12-01t00-00-%02d", i))
                    .volume("data", data).call();
        }
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T04:00:00Z"), ZoneOffset.UTC);
        Repository repo = Repository.open(new LocalStore(root), "app", null, false);
        int packs = repo.index().packs().size();
        assertThat(packs).isGreaterThan(RollingVerification.BATCH);

        RollingVerification.Result stopped = new RollingVerification(repo, 100, clock).stopWhen(() -> true).run();
        assertThat(stopped.packsChecked()).isEqualTo(RollingVerification.BATCH);
        assertThat(stopped.cycleCompleted()).isFalse();
        assertThat(stopped.state().cyclePacksDone()).isEqualTo(RollingVerification.BATCH);

        RollingVerification.Result rest = new RollingVerification(Repository.open(new LocalStore(root), "app", null, false), 100, clock).run();
        assertThat(rest.packsChecked()).isEqualTo(packs - RollingVerification.BATCH);
        assertThat(rest.cycleCompleted()).isTrue();
        assertThat(rest.state().lastCyclePacks()).isEqualTo(packs);
        assertThat(rest.clean()).isTrue();
        assertThat(rest.manifestsChecked()).isEqualTo(20);
    }
}
