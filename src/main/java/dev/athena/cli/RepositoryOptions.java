package dev.athena.cli;

import java.io.IOException;
import java.util.List;

import dev.athena.component.Component;
import dev.athena.component.VolumeComponent;
import dev.athena.config.CommandSettings;
import dev.athena.config.StorageConfig;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import dev.athena.restore.RestoreSource;
import dev.athena.storage.ReadOnlyStore;
import picocli.CommandLine.Option;

/** Where the backups are: the environment's location, or --location, and the namespace. */
final class RepositoryOptions {
    @Option(names = "--location", paramLabel = "FOLDER|s3://BUCKET",
            description = "Backup location; default: BACKUP_LOCATION_TYPE and LOCAL_BACKUP_LOCATION or AWS_S3_BUCKET_NAME.")
    String location;

    @Option(names = {"-n", "--namespace"}, description = "Namespace whose backups to use; default: ATHENA_NAMESPACE, POD_NAMESPACE, else app.")
    String namespace;

    /** Set by {@link Main} before the command runs. */
    CommandSettings settings;

    CommandSettings settings() {
        if (settings == null) {
            throw new IllegalStateException("the command's settings were not handed in: run commands through Main");
        }
        return settings;
    }

    String namespace() {
        return RepositoryLayout.checkNamespace(namespace != null ? namespace : settings().defaultNamespace());
    }

    StorageConfig storage() {
        return settings().storage(location);
    }

    /** The given folders, or without any, the platform's components configured in the environment; {@code doing}: "back up" or "restore". */
    List<Component> components(List<VolumeArg> volumes, String doing) {
        if (volumes != null && !volumes.isEmpty()) {
            return volumes.stream().map(v -> (Component) new VolumeComponent(v.name(), v.folder())).toList();
        }
        List<Component> configured = settings().platformComponents();
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("nothing to " + doing + ": give --volume NAME=FOLDER, or configure components "
                    + "(POSTGRES_HOST, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH, CONFIGMAP_PATH)");
        }
        return configured;
    }

    Repository open(boolean create) {
        return Repository.open(storage().open(), namespace(), settings().encryptionKey(), create, settings().tuning().repositoryOptions(settings().scratchDir()));
    }

    /** The repository a restore reads, through a download cache in ATHENA_SCRATCH_DIR when it is on S3. */
    RestoreSource openForRestore() throws IOException {
        StorageConfig storage = storage();
        return RestoreSource.open(storage.open(), storage.remote(), namespace(), settings().encryptionKey(), settings().scratchDir(),
                settings().tuning().repositoryOptions(settings().scratchDir()));
    }

    /**
     * The second location {@code athena copy} writes (a folder or {@code s3://BUCKET} with the
     * environment's S3 settings), in the same namespace, with ATHENA_COPY_ENCRYPTION_KEY or the same key.
     */
    Repository openCopyTarget(String to) {
        StorageConfig target = settings().copyStorage(to);
        if (target.toString().equals(storage().toString())) {
            throw new IllegalArgumentException("--to " + to + " is the backup location itself: name a second folder or bucket");
        }
        return Repository.open(target.open(), namespace(), settings().copyEncryptionKey(), true,
                settings().tuning().repositoryOptions(settings().scratchDir()));
    }

    /** For commands that only look: the store refuses every write, so they cannot change a backup. */
    Repository openReadOnly() {
        return Repository.open(new ReadOnlyStore(storage().open()), namespace(), settings().encryptionKey(), false,
                settings().tuning().repositoryOptions(settings().scratchDir()));
    }
}
