package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;

class MetagraphComponentTest {
    @TempDir
    Path tmp;

    @Test
    void hooksRunAroundTheSnapshotAndTheAfterHookRunsEvenWhenTheBackupFails() throws Exception {
        Path volume = Files.createDirectories(tmp.resolve("metagraph"));
        Files.writeString(volume.resolve("graph.db"), "graph");
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        MetagraphComponent hooked = new MetagraphComponent(volume, Optional.of("echo flushed > \"$ATHENA_VOLUME_PATH/FLUSHED\""),
                Optional.of("rm FLUSHED && touch " + tmp.resolve("resumed")));
        new BackupCommand(repo).component(hooked).timestamp("2023-02-02t16-00-00").call();
        assertThat(Files.exists(tmp.resolve("resumed"))).isTrue();
        assertThat(Files.exists(volume.resolve("FLUSHED"))).isFalse();

        Path restored = tmp.resolve("restored");
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(new MetagraphComponent(restored, Optional.empty(), Optional.empty())).call();
        assertThat(Files.readString(restored.resolve("FLUSHED"))).as("the snapshot was taken after the pre hook").isEqualTo("flushed\n");

        Files.delete(tmp.resolve("resumed"));
        MetagraphComponent failing = new MetagraphComponent(volume, Optional.of("echo cannot pause >&2; exit 3"),
                Optional.of("touch " + tmp.resolve("resumed")));
        assertThatThrownBy(() -> new BackupCommand(repo).component(failing).timestamp("2023-02-02t17-00-00").call())
                .hasMessageContaining("METAGRAPH_PRE_BACKUP_COMMAND").hasMessageContaining("cannot pause");
        assertThat(Files.exists(tmp.resolve("resumed"))).isTrue();
        assertThat(repo.timestamps()).containsExactly("2023-02-02t16-00-00");
    }
}
