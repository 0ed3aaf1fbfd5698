package dev.athena.restore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.component.VolumeComponent;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

/**
 * Restores components of one backup. Every component's checks run before the first one is
 * written, so a damaged backup or an unwritable destination leaves everything as it was; then
 * the data components are restored side by side and the configuration last ({@link RestoreWaves}).
 */
public final class RestoreCommand {
    private final Repository repository;
    private final String timestamp;
    private final List<Component> components = new ArrayList<>();
    /** All of the platform's components at once, unless the caller says otherwise. */
    public static final int DEFAULT_COMPONENT_THREADS = 8;
    private int componentThreads = DEFAULT_COMPONENT_THREADS;

    public RestoreCommand(Repository repository, String timestamp) {
        this.repository = repository;
        this.timestamp = timestamp;
    }

    public RestoreCommand component(Component component) {
        if (components.stream().anyMatch(c -> c.name().equals(component.name()))) {
            throw new IllegalArgumentException("component '" + component.name() + "' is given twice; each needs its own name");
        }
        components.add(component);
        return this;
    }

    /** Components restored at once (the data ones; the configuration goes last); 1 restores them one after another. */
    public RestoreCommand componentThreads(int threads) {
        this.componentThreads = threads;
        return this;
    }

    public RestoreCommand volume(String name, Path target) {
        return component(new VolumeComponent(name, target));
    }

    public Map<String, RestoreOutcome> call() throws Exception {
        try (RepositoryLock lock = RepositoryLock.sharedForReading(repository, "restore of " + timestamp)) {
            Manifest manifest = repository.readManifest(timestamp);
            for (Component c : components) {
                Manifest.ComponentSnapshot s = manifest.components().get(c.name());
                if (s == null) {
                    throw new IllegalArgumentException("backup " + timestamp + " has no component '" + c.name() + "'; it holds " + manifest.components().keySet());
                }
                c.precheck(repository, timestamp, s);
            }
            Map<String, RestoreOutcome> done = new java.util.concurrent.ConcurrentHashMap<>();
            RestoreWaves.run(components, componentThreads, c -> done.put(c.name(), c.restore(repository, timestamp, manifest.components().get(c.name()))),
                    (later, failed) -> { });
            Map<String, RestoreOutcome> results = new LinkedHashMap<>();
            components.forEach(c -> results.put(c.name(), done.get(c.name())));
            return results;
        }
    }
}
