package dev.athena.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.component.RestoreOutcome;
import dev.athena.component.VolumeComponent;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.storage.LocalStore;
import dev.athena.testing.Trees;

/** A restore writes the data components side by side, and the configuration only after all of them. */
class RestoreWavesTest {
    @TempDir
    Path tmp;

    private final AtomicInteger dataRestored = new AtomicInteger();

    /** A real volume whose restore meets the other data components' restores at a barrier first. */
    final class DataVolume extends VolumeComponent {
        private final CyclicBarrier barrier;
        private final String failure;

        DataVolume(String name, Path folder, CyclicBarrier barrier, String failure) {
            super(name, folder);
            this.barrier = barrier;
            this.failure = failure;
        }

        @Override
        public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
            barrier.await(30, TimeUnit.SECONDS);
            if (failure != null) {
                throw new java.io.IOException(failure);
            }
            RestoreOutcome outcome = super.restore(repository, backup, snapshot);
            dataRestored.incrementAndGet();
            return outcome;
        }
    }

    /** A real volume restored as the configuration; remembers how many data components were restored before it started. */
    final class ConfigVolume extends VolumeComponent {
        volatile int dataBefore = -1;

        ConfigVolume(Path folder) {
            super("config", folder);
        }

        @Override
        public boolean isConfig() {
            return true;
        }

        @Override
        public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
            dataBefore = dataRestored.get();
            return super.restore(repository, backup, snapshot);
        }
    }

    private Repository backUp() throws Exception {
        Repository repo = Repository.open(new LocalStore(tmp.resolve("repo")), "app", null, true);
        BackupCommand backup = new BackupCommand(repo).timestamp("2023-02-02t16-00-00");
        for (String name : new String[] {"config", "metagraph", "gitserver"}) {
            backup.volume(name, Trees.randomFiles(tmp.resolve("source/" + name), 4, 32 * 1024, name.hashCode()));
        }
        backup.call();
        return repo;
    }

    @Test
    void dataComponentsAreRestoredSideBySideAndTheConfigurationLast() throws Exception {
        Repository repo = backUp();
        CyclicBarrier together = new CyclicBarrier(2);
        ConfigVolume config = new ConfigVolume(tmp.resolve("target/config"));
        // Listed first, restored last; one after another the first data volume would wait at the barrier alone.
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(config)
                .component(new DataVolume("metagraph", tmp.resolve("target/metagraph"), together, null))
                .component(new DataVolume("gitserver", tmp.resolve("target/gitserver"), together, null)).call();

        assertThat(config.dataBefore).isEqualTo(2);
        for (String name : new String[] {"config", "metagraph", "gitserver"}) {
            Trees.assertSameTree(tmp.resolve("source/" + name), tmp.resolve("target/" + name));
        }
    }

    @Test
    void aFailedDataComponentLetsTheOtherFinishAndKeepsTheConfigurationAsItWas() throws Exception {
        Repository repo = backUp();
        CyclicBarrier together = new CyclicBarrier(2);
        Path configTarget = Files.createDirectories(tmp.resolve("target/config"));
        Files.writeString(configTarget.resolve("APP_HOST"), "this cluster");
        ConfigVolume config = new ConfigVolume(configTarget);
        assertThatThrownBy(() -> new RestoreCommand(repo, "2023-02-02t16-00-00")
                .component(new DataVolume("metagraph", tmp.resolve("target/metagraph"), together, "injected: disk full"))
                .component(new DataVolume("gitserver", tmp.resolve("target/gitserver"), together, null))
                .component(config).call()).hasMessage("injected: disk full");

        Trees.assertSameTree(tmp.resolve("source/gitserver"), tmp.resolve("target/gitserver"));
        assertThat(config.dataBefore).as("the configuration was not touched").isEqualTo(-1);
        assertThat(Files.readString(configTarget.resolve("APP_HOST"))).isEqualTo("this cluster");
    }
}
