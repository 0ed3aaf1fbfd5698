package dev.athena.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.volume.VolumeRestore;

/**
 * Restores volume components of one backup into folders. Every component's data is checked before
 * the first one is written, so a damaged backup leaves every destination as it was.
 */
public final class RestoreCommand {
    private final Repository repository;
    private final String timestamp;
    private final Map<String, Path> targets = new LinkedHashMap<>();

    public RestoreCommand(Repository repository, String timestamp) {
        this.repository = repository;
        this.timestamp = timestamp;
    }

    public RestoreCommand volume(String component, Path target) {
        targets.put(component, target);
        return this;
    }

    public Map<String, VolumeRestore.Result> call() throws IOException {
        try (RepositoryLock lock = RepositoryLock.shared(repository, "restore of " + timestamp)) {
            Manifest manifest = repository.readManifest(timestamp);
            for (String name : targets.keySet()) {
                Manifest.ComponentSnapshot c = manifest.components().get(name);
                if (c == null) {
                    throw new IllegalArgumentException("backup " + timestamp + " has no component '" + name + "'; it holds " + manifest.components().keySet());
                }
                new VolumeRestore(repository).precheck(timestamp, name, c.treeIds());
            }
            Map<String, VolumeRestore.Result> results = new LinkedHashMap<>();
            for (Map.Entry<String, Path> t : targets.entrySet()) {
                Manifest.ComponentSnapshot c = manifest.components().get(t.getKey());
                results.put(t.getKey(), new VolumeRestore(repository).run(timestamp, t.getKey(), c.treeIds(), t.getValue()));
            }
            return results;
        }
    }
}
