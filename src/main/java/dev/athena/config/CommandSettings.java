package dev.athena.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.athena.component.Component;

/**
 * What the CLI's commands take from the environment, read once when a command starts: the default
 * namespace, the encryption key, the scratch folder, the tuning and the platform's version. The
 * backup location and the platform's components are made from the same environment on demand,
 * because a command's options (--location, --volume) decide whether they are needed at all.
 */
public final class CommandSettings {
    private final Map<String, String> env;
    private final String defaultNamespace;
    private final String encryptionKey;
    private final Path scratchDir;
    private final Tuning tuning;
    private final String platformVersion;
    private final String serviceUrl;
    private final String apiKey;
    private final String copyEncryptionKey;

    private CommandSettings(Map<String, String> env) {
        this.env = Map.copyOf(env);
        String ns = env.get("ATHENA_NAMESPACE");
        this.defaultNamespace = ns != null ? ns : env.getOrDefault("POD_NAMESPACE", "app");
        this.encryptionKey = StorageConfig.blankToNull(env.get("ATHENA_ENCRYPTION_KEY"));
        this.scratchDir = AthenaConfig.scratchFolder(env);
        this.tuning = Tuning.fromEnv(env);
        this.platformVersion = StorageConfig.blankToNull(env.get("PLATFORM_VERSION"));
        String url = StorageConfig.blankToNull(env.get("ATHENA_URL"));
        String port = StorageConfig.blankToNull(env.get("ATHENA_PORT"));
        this.serviceUrl = url != null ? url : "http://localhost:" + (port != null ? port.trim() : "8080");
        String key = StorageConfig.blankToNull(env.get("ATHENA_API_KEY"));
        if (key == null && StorageConfig.blankToNull(env.get("ATHENA_API_KEYS")) != null) {
            // Inside serve's own pod (kubectl exec), the service's first key works without more setup.
            key = env.get("ATHENA_API_KEYS").split(",")[0].trim();
        }
        this.apiKey = key;
        this.copyEncryptionKey = CopySettings.key(env);
    }

    /** The key of the second location that athena copy writes: ATHENA_COPY_ENCRYPTION_KEY, else ATHENA_ENCRYPTION_KEY. */
    public String copyEncryptionKey() {
        return copyEncryptionKey;
    }

    /** The running service the CLI's service commands talk to: ATHENA_URL, else this host at ATHENA_PORT (8080). */
    public String serviceUrl() {
        return serviceUrl;
    }

    /** The key those commands send: ATHENA_API_KEY, else the first of ATHENA_API_KEYS, else null. */
    public String apiKey() {
        return apiKey;
    }

    /** Throws {@link ConfigException} naming the first bad tuning variable. */
    public static CommandSettings fromEnv(Map<String, String> env) {
        return new CommandSettings(env);
    }

    /** ATHENA_NAMESPACE, else POD_NAMESPACE, else {@code app}; not yet checked. */
    public String defaultNamespace() {
        return defaultNamespace;
    }

    /** ATHENA_ENCRYPTION_KEY, or null for an unencrypted repository. */
    public String encryptionKey() {
        return encryptionKey;
    }

    public Path scratchDir() {
        return scratchDir;
    }

    public Tuning tuning() {
        return tuning;
    }

    /** PLATFORM_VERSION, or null. */
    public String platformVersion() {
        return platformVersion;
    }

    /**
     * The backup location: {@code location} when given (a folder, or {@code s3://BUCKET} with the
     * environment's S3 settings), else the environment's.
     */
    public StorageConfig storage(String location) {
        return StorageConfig.fromEnv(location == null ? env : StorageConfig.at(env, location));
    }

    /** The second location athena copy writes, with COPY_S3_* and COPY_AWS_* when they are set. */
    public StorageConfig copyStorage(String to) {
        return CopySettings.storage(env, to);
    }

    /** COPY_TO, the second location serve keeps in step, or null. */
    public String copyTo() {
        return StorageConfig.blankToNull(env.get("COPY_TO"));
    }

    /** The platform's components as {@code serve} would see them. */
    public List<Component> platformComponents() {
        return PlatformComponents.of(service());
    }

    /** Every setting of {@code serve}, from the same environment. */
    public AthenaConfig service() {
        return AthenaConfig.fromEnv(env);
    }
}
