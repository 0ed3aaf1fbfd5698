package dev.athena.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.component.VolumeComponent;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.Trees;

/** The components of one backup are captured side by side, and the first failure stops the rest. */
class ComponentCaptureTest {
    @TempDir
    Path tmp;

    /** A real volume whose backup first waits at a barrier the other components must reach too. */
    static final class MeetingVolume extends VolumeComponent {
        private final CyclicBarrier barrier;

        MeetingVolume(String name, Path folder, CyclicBarrier barrier) {
            super(name, folder);
            this.barrier = barrier;
        }

        @Override
        public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
            barrier.await(30, TimeUnit.SECONDS);
            return super.backup(repository, timestamp, parent);
        }
    }

    private Repository repository() {
        return Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
    }

    private Path folder(String name) throws Exception {
        return Trees.randomFiles(tmp.resolve(name), 5, 64 * 1024, name.hashCode());
    }

    @Test
    void everyComponentStartsBeforeAnyFinishesAndTheManifestRecordsEachWindow() throws Exception {
        CyclicBarrier allStarted = new CyclicBarrier(3);
        BackupCommand backup = new BackupCommand(repository()).timestamp("2023-02-02t16-00-00");
        for (String name : new String[] {"metagraph", "gitserver", "extra"}) {
            backup.component(new MeetingVolume(name, folder(name), allStarted));
        }
        // One after another, the first would wait at the barrier for the others and time out.
        Manifest manifest = backup.call();

        assertThat(manifest.windows()).containsOnlyKeys("metagraph", "gitserver", "extra");
        Instant lastStart = manifest.windows().values().stream().map(w -> Instant.parse(w.startedAt())).max(Instant::compareTo).orElseThrow();
        Instant firstEnd = manifest.windows().values().stream().map(w -> Instant.parse(w.finishedAt())).min(Instant::compareTo).orElseThrow();
        assertThat(lastStart).isBefore(firstEnd);
        assertThat(repository().readManifest("2023-02-02t16-00-00").windows()).isEqualTo(manifest.windows());
        assertThat(manifest.components().keySet()).as("manifest keeps the configured order").containsExactly("metagraph", "gitserver", "extra");
    }

    @Test
    void withOneThreadComponentsAreCapturedOneAfterAnotherInOrder() throws Exception {
        Manifest manifest = new BackupCommand(repository()).timestamp("2023-02-02t16-00-00").componentThreads(1)
                .volume("first", folder("first")).volume("second", folder("second")).call();
        Instant firstEnd = Instant.parse(manifest.windows().get("first").finishedAt());
        Instant secondStart = Instant.parse(manifest.windows().get("second").startedAt());
        assertThat(secondStart).isAfterOrEqualTo(firstEnd);
    }

    @Test
    void theFirstFailureStopsTheOtherComponentsAndNoBackupIsRecorded() throws Exception {
        CountDownLatch slowEntered = new CountDownLatch(1);
        AtomicBoolean slowInterrupted = new AtomicBoolean();
        AtomicBoolean slowStopped = new AtomicBoolean();
        VolumeComponent slow = new VolumeComponent("metagraph", folder("metagraph")) {
            @Override
            public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
                slowEntered.countDown();
                try {
                    new CountDownLatch(1).await(60, TimeUnit.SECONDS);
                    return super.backup(repository, timestamp, parent);
                } catch (InterruptedException e) {
                    slowInterrupted.set(true);
                    throw e;
                } finally {
                    slowStopped.set(true);
                }
            }
        };
        VolumeComponent failing = new VolumeComponent("gitserver", tmp.resolve("gitserver-is-missing")) {
            @Override
            public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
                slowEntered.await(30, TimeUnit.SECONDS);
                return super.backup(repository, timestamp, parent);
            }
        };
        Repository repository = repository();
        assertThatThrownBy(() -> new BackupCommand(repository).timestamp("2023-02-02t16-00-00").component(slow).component(failing).call())
                .isInstanceOf(BackupException.class).hasMessageStartingWith("component gitserver: ");
        assertThat(slowInterrupted).as("the slow component was interrupted").isTrue();
        assertThat(slowStopped).as("and had stopped before the backup returned").isTrue();
        assertThat(repository.timestamps()).isEmpty();
    }

    @Test
    void twoComponentsWithOneNameAreRefusedBeforeAnythingIsWritten() throws Exception {
        Repository repository = repository();
        BackupCommand backup = new BackupCommand(repository).volume("data", folder("first"));
        assertThatThrownBy(() -> backup.volume("data", folder("second"))).hasMessage("component 'data' is given twice; each needs its own name");
        assertThat(repository.timestamps()).isEmpty();
    }
}
