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

    public ConfigMapComponent(ConfigSource source, Set<String> preserveKeys) {
        this.source = source;
        this.preserveKeys = Set.copyOf(preserveKeys);
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
        ConfigData expected = stored(repository, snapshot).restoredOver(current, preserveKeys);
        boolean same = current != null && expected.sameAs(current);
        return List.of(new dev.athena.component.CheckResult(name() + ": keys match the backup", same,
                expected.entries().size() + " keys" + (preserveKeys.isEmpty() ? "" : ", " + preserveKeys + " kept from this cluster")
                        + (same ? "" : "; differ: " + (current == null ? "the ConfigMap is missing" : "values or keys"))));
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        source.checkWritable();
        new VolumeRestore(repository).precheck(backup, name(), snapshot.treeIds());
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        ConfigData restored = stored(repository, snapshot).restoredOver(source.read(), preserveKeys);
        source.write(restored);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("keys", (long) restored.entries().size());
        stats.put("preservedKeys", preserveKeys.stream().filter(restored.entries()::containsKey).count());
        stats.put("bytes", restored.entries().values().stream().mapToLong(v -> v.length).sum());
        return RestoreOutcome.of(stats);
    }
}
