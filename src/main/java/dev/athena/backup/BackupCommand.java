package dev.athena.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.component.Component;
import dev.athena.component.VolumeComponent;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consistent backup of several components under one timestamp and one manifest. Data is
 * flushed before the manifest is written, and the manifest is written last, so a backup that
 * fails or is killed midway does not exist. If any component fails, the backup fails.
 */
public final class BackupCommand {
    private static final Logger log = LoggerFactory.getLogger(BackupCommand.class);
    private final Repository repository;
    private final List<Component> components = new ArrayList<>();
    private String timestamp;
    private String platformVersion;
    private Clock clock = Clock.systemUTC();

    public BackupCommand(Repository repository) {
        this.repository = repository;
    }

    public BackupCommand component(Component component) {
        components.add(component);
        return this;
    }

    public BackupCommand volume(String name, java.nio.file.Path folder) {
        return component(new VolumeComponent(name, folder));
    }

    public BackupCommand timestamp(String timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    public BackupCommand platformVersion(String version) {
        this.platformVersion = version;
        return this;
    }

    public BackupCommand clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Manifest call() {
        String ts = timestamp != null ? timestamp : Timestamps.now(clock);
        Instant started = clock.instant();
        try (RepositoryLock lock = RepositoryLock.shared(repository, "backup " + ts)) {
            if (repository.store().exists(repository.layout().manifest(ts))) {
                throw new BackupException("backup " + ts + " already exists in namespace " + repository.namespace(), null);
            }
            Manifest parent = latest();
            Map<String, Manifest.ComponentSnapshot> snapshots = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            for (Component c : components) {
                Manifest.ComponentSnapshot previous = parent == null ? null : parent.components().get(c.name());
                Manifest.ComponentSnapshot snapshot;
                try {
                    snapshot = c.backup(repository, ts, previous);
                } catch (Exception e) {
                    throw new BackupException("component " + c.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
                }
                snapshots.put(c.name(), snapshot);
                snapshot.warnings().forEach(w -> warnings.add(c.name() + ": " + w));
                log.info("backup {} component {}: {}", ts, c.name(), snapshot.stats());
            }
            repository.flush();
            Manifest manifest = new Manifest(Manifest.VERSION, repository.namespace(), ts, started.toString(), clock.instant().toString(),
                    RepositoryLock.hostname(), platformVersion, snapshots, warnings);
            repository.writeManifest(manifest);
            return manifest;
        }
    }

    private Manifest latest() {
        List<String> all = repository.timestamps();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return repository.readManifest(all.get(i));
            } catch (RuntimeException e) {
                log.warn("cannot read backup {} to find unchanged files: {}", all.get(i), e.getMessage());
            }
        }
        return null;
    }
}
