package dev.athena.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.athena.repository.BlobId;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.volume.VolumeBackup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up named folders into one backup: each becomes a component of one manifest under one
 * timestamp. Data is flushed before the manifest is written, and the manifest is written last,
 * so a backup that fails or is killed midway does not exist.
 */
public final class BackupCommand {
    private static final Logger log = LoggerFactory.getLogger(BackupCommand.class);
    private final Repository repository;
    private final Map<String, Path> volumes = new LinkedHashMap<>();
    private String timestamp;
    private String platformVersion;
    private Clock clock = Clock.systemUTC();

    public BackupCommand(Repository repository) {
        this.repository = repository;
    }

    public BackupCommand volume(String component, Path folder) {
        volumes.put(component, folder);
        return this;
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
            Map<String, Manifest.ComponentSnapshot> components = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            for (Map.Entry<String, Path> v : volumes.entrySet()) {
                String name = v.getKey();
                List<BlobId> parentTree = parent == null || !parent.components().containsKey(name) ? null
                        : parent.components().get(name).treeIds();
                long t0 = System.nanoTime();
                VolumeBackup.Result r;
                try {
                    r = new VolumeBackup(repository).run(v.getValue(), parentTree);
                } catch (IOException | RuntimeException e) {
                    throw new BackupException("backup " + ts + ", component " + name + " (" + v.getValue() + "): " + e.getMessage(), e);
                }
                Map<String, Long> stats = new LinkedHashMap<>(r.stats());
                stats.put("durationMs", (System.nanoTime() - t0) / 1_000_000);
                components.put(name, new Manifest.ComponentSnapshot("volume", r.tree().stream().map(BlobId::hex).toList(),
                        stats, r.warnings(), Map.of("path", v.getValue().toString())));
                r.warnings().forEach(w -> warnings.add(name + ": " + w));
                log.info("backup {} component {}: {}", ts, name, stats);
            }
            repository.flush();
            Manifest manifest = new Manifest(Manifest.VERSION, repository.namespace(), ts, started.toString(), clock.instant().toString(),
                    RepositoryLock.hostname(), platformVersion, components, warnings);
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
