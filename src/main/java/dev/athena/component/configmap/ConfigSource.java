package dev.athena.component.configmap;

/** Where the environment configuration lives: a mounted folder or file, or the Kubernetes API. */
public interface ConfigSource {
    /** The current content; {@code null} when the ConfigMap does not exist (yet) in this cluster. */
    ConfigData read() throws Exception;

    /** Replaces the content whole. */
    void write(ConfigData data) throws Exception;

    /** Fails, saying why, when the configuration cannot be read and written here. */
    void checkWritable() throws Exception;

    String describe();
}
