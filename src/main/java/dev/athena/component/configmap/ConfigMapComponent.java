package dev.athena.component.configmap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.athena.component.Component;
import dev.athena.component.RestoreOutcome;
import dev.athena.repository.BlobId;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.volume.VirtualTree;
import dev.athena.volume.VolumeRestore;

/**
 * The environment ConfigMap: every key and value exactly, binary values included. On restore,
 * keys listed in CONFIG_PRESERVE_KEYS keep this cluster's values.
 */
public final class ConfigMapComponent implements Component {
    public static final String KIND = "configmap";
    private final ConfigSource source;
    private final Set<String> preserveKeys;
    /** For an item-level restore, the keys restored (the others keep this cluster's values); null for all. */
    private final Set<String> onlyKeys;

    @Override
    public String destination() {
        return source.describe();
    }

    public ConfigMapComponent(ConfigSource source, Set<String> preserveKeys) {
        this(source, preserveKeys, null);
    }

    private ConfigMapComponent(ConfigSource source, Set<String> preserveKeys, Set<String> onlyKeys) {
        this.source = source;
        this.preserveKeys = Set.copyOf(preserveKeys);
        this.onlyKeys = onlyKeys == null ? null : Set.copyOf(onlyKeys);
    }

    /** Some keys: each gets the backup's value, and every other key of the ConfigMap stays as it is. */
    @Override
    public dev.athena.component.Component forDrill(java.nio.file.Path scratch, String databasePrefix) {
        // Written as files into a folder of the drill's, whether this cluster's config is mounted or read through the Kubernetes API.
        return new ConfigMapComponent(new MountedConfig(scratch.resolve(name())), Set.of());
    }

    @Override
    public dev.athena.component.Component only(List<String> keys) {
        if (keys == null || keys.isEmpty() || keys.stream().anyMatch(k -> k == null || k.isBlank())) {
            throw new IllegalArgumentException("no key given to restore: name keys of the ConfigMap, e.g. APP_HOST");
        }
        return new ConfigMapComponent(source, preserveKeys, new java.util.LinkedHashSet<>(keys));
    }

    /** What this cluster's ConfigMap becomes: the backup's keys (all, or the selected ones over the current map). */
    private ConfigData target(Repository repository, Manifest.ComponentSnapshot snapshot, ConfigData current) {
        ConfigData stored = stored(repository, snapshot);
        if (onlyKeys == null) {
            return stored.restoredOver(current, preserveKeys);
        }
        Map<String, byte[]> entries = new java.util.TreeMap<>(current == null ? Map.of() : current.entries());
        onlyKeys.forEach(k -> entries.put(k, stored.entries().get(k)));
        return new ConfigData(entries);
    }

    @Override
    public String name() {
        return "config";
    }

    @Override
    public boolean isConfig() {
        return true;
    }

    public ConfigSource source() {
        return source;
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        ConfigData data = source.read();
        if (data == null) {
            throw new IllegalStateException(source.describe() + " does not exist");
        }
        List<BlobId> tree = VirtualTree.write(repository, data.entries(), 0);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("keys", (long) data.entries().size());
        stats.put("bytes", data.entries().values().stream().mapToLong(v -> v.length).sum());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", source.describe());
        details.put("keys", data.entries().keySet());
        return new Manifest.ComponentSnapshot(KIND, tree.stream().map(BlobId::hex).toList(), stats, List.of(), details);
    }

    /** The configuration as the backup holds it. */
    public static ConfigData stored(Repository repository, Manifest.ComponentSnapshot snapshot) {
        return new ConfigData(VirtualTree.read(repository, snapshot.treeIds()));
    }

    @Override
    public List<dev.athena.component.CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        ConfigData current = source.read();
        ConfigData expected = target(repository, snapshot, current);
        boolean same = current != null && expected.sameAs(current);
        return List.of(new dev.athena.component.CheckResult(name() + ": keys match the backup" + (onlyKeys == null ? "" : " (" + String.join(", ", onlyKeys) + ")"), same,
                expected.entries().size() + " keys" + (preserveKeys.isEmpty() ? "" : ", " + preserveKeys + " kept from this cluster")
                        + (same ? "" : "; differ: " + (current == null ? "the ConfigMap is missing" : "values or keys"))));
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        source.checkWritable();
        if (onlyKeys != null) {
            Set<String> held = stored(repository, snapshot).entries().keySet();
            List<String> missing = onlyKeys.stream().filter(k -> !held.contains(k)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("backup " + backup + ", component config holds no key " + String.join(", ", missing)
                        + "; it holds " + new java.util.TreeSet<>(held));
            }
        }
        new VolumeRestore(repository).precheck(backup, name(), snapshot.treeIds());
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        ConfigData restored = target(repository, snapshot, source.read());
        source.write(restored);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("keys", (long) restored.entries().size());
        stats.put("preservedKeys", preserveKeys.stream().filter(restored.entries()::containsKey).count());
        stats.put("bytes", restored.entries().values().stream().mapToLong(v -> v.length).sum());
        return RestoreOutcome.of(stats);
    }
}
