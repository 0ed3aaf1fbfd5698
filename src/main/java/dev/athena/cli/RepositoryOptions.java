package dev.athena.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.athena.config.StorageConfig;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLayout;
import picocli.CommandLine.Option;

/** Where the backups are: the environment's location, or --location, and the namespace. */
final class RepositoryOptions {
    @Option(names = "--location", paramLabel = "FOLDER|s3://BUCKET",
            description = "Backup location; default: BACKUP_LOCATION_TYPE and LOCAL_BACKUP_LOCATION or AWS_S3_BUCKET_NAME.")
    String location;

    @Option(names = {"-n", "--namespace"}, description = "Namespace whose backups to use; default: ATHENA_NAMESPACE, POD_NAMESPACE, else app.")
    String namespace;

    String namespace() {
        String ns = namespace != null ? namespace
                : System.getenv().getOrDefault("ATHENA_NAMESPACE", System.getenv().getOrDefault("POD_NAMESPACE", "app"));
        return RepositoryLayout.checkNamespace(ns);
    }

    StorageConfig storage() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (location != null) {
            if (location.startsWith("s3://")) {
                env.put("BACKUP_LOCATION_TYPE", "s3");
                env.put("AWS_S3_BUCKET_NAME", location.substring(5).replaceAll("/+$", ""));
            } else {
                env.put("BACKUP_LOCATION_TYPE", "local");
                env.put("LOCAL_BACKUP_LOCATION", Path.of(location).toAbsolutePath().toString());
            }
        }
        return StorageConfig.fromEnv(env);
    }

    /** The given folders, or without any, the platform's components configured in the environment. */
    java.util.List<dev.athena.component.Component> components(java.util.List<VolumeArg> volumes) {
        if (volumes != null && !volumes.isEmpty()) {
            return volumes.stream().map(v -> (dev.athena.component.Component) new dev.athena.component.VolumeComponent(v.name(), v.folder())).toList();
        }
        java.util.List<dev.athena.component.Component> configured = dev.athena.component.PlatformComponents.of(
                dev.athena.config.AthenaConfig.fromEnv(System.getenv()));
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("nothing to back up: give --volume NAME=FOLDER, or configure components "
                    + "(POSTGRES_HOST, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH, CONFIGMAP_PATH)");
        }
        return configured;
    }

    Repository open(boolean create) {
        String key = System.getenv("ATHENA_ENCRYPTION_KEY");
        return Repository.open(storage().open(), namespace(), key == null || key.isEmpty() ? null : key, create);
    }

    /** The repository a restore reads, through a download cache in ATHENA_SCRATCH_DIR when it is on S3. */
    dev.athena.restore.RestoreSource openForRestore() throws java.io.IOException {
        StorageConfig storage = storage();
        String key = System.getenv("ATHENA_ENCRYPTION_KEY");
        return dev.athena.restore.RestoreSource.open(storage.open(), storage.remote(), namespace(),
                key == null || key.isEmpty() ? null : key, dev.athena.config.AthenaConfig.scratchFolder(System.getenv()));
    }

    /** For commands that only look: the store refuses every write, so they cannot change a backup. */
    Repository openReadOnly() {
        String key = System.getenv("ATHENA_ENCRYPTION_KEY");
        return Repository.open(new dev.athena.storage.ReadOnlyStore(storage().open()), namespace(), key == null || key.isEmpty() ? null : key, false);
    }
}
