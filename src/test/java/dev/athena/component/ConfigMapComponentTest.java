package dev.athena.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.backup.BackupCommand;
import dev.athena.component.configmap.ConfigData;
import dev.athena.component.configmap.ConfigMapComponent;
import dev.athena.component.configmap.KubernetesConfig;
import dev.athena.component.configmap.MountedConfig;
import dev.athena.repository.Repository;
import dev.athena.restore.RestoreCommand;
import dev.athena.storage.LocalStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** The ConfigMap mounted as Kubernetes mounts it, and through the API (fabric8's mock API server in CRUD mode: no cluster runs here). */
@EnableKubernetesMockClient(crud = true)
class ConfigMapComponentTest {
    static KubernetesClient client;
    private static final byte[] BINARY = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 13};
    @TempDir
    Path tmp;

    /** A folder laid out as the kubelet lays out a mounted ConfigMap. */
    private static Path mounted(Path dir, Map<String, byte[]> keys) throws Exception {
        Path data = Files.createDirectories(dir.resolve("..2024_01_01_00_00_00.000000001"));
        for (var e : keys.entrySet()) {
            Files.write(data.resolve(e.getKey()), e.getValue());
            Files.createSymbolicLink(dir.resolve(e.getKey()), Path.of("..data", e.getKey()));
        }
        Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
        return dir;
    }

    @Test
    void aMountedConfigMapIsRestoredExactlyExceptPreservedKeys() throws Exception {
        Path source = mounted(tmp.resolve("source"), Map.of("APP_HOST", "source.example.com".getBytes(), "DB_URL", "jdbc:pg://db".getBytes(),
                "keystore.p12", BINARY, "multi-line.yaml", "a: 1\nb: [x, y]\n".getBytes(), "UNICODE_VALUE", "größe ✓".getBytes()));
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).component(new ConfigMapComponent(new MountedConfig(source), Set.of())).timestamp("2023-02-02t16-00-00").call();

        Path destination = mounted(tmp.resolve("destination"), Map.of("APP_HOST", "dr.example.com".getBytes(), "ONLY_HERE", "x".getBytes()));
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(new ConfigMapComponent(new MountedConfig(destination), Set.of("APP_HOST"))).call();

        ConfigData restored = new MountedConfig(destination).read();
        assertThat(restored.entries().keySet()).containsExactlyInAnyOrder("APP_HOST", "DB_URL", "keystore.p12", "multi-line.yaml", "UNICODE_VALUE");
        assertThat(restored.entries().get("APP_HOST")).isEqualTo("dr.example.com".getBytes());
        assertThat(restored.entries().get("keystore.p12")).isEqualTo(BINARY);
        assertThat(restored.entries().get("UNICODE_VALUE")).isEqualTo("größe ✓".getBytes());
        assertThat(Files.isSymbolicLink(destination.resolve("DB_URL"))).as("keys stay links into ..data").isTrue();
        assertThat(Files.exists(destination.resolve("ONLY_HERE"))).isFalse();
        assertThat(Files.exists(destination.resolve("..2024_01_01_00_00_00.000000001"))).as("the old data folder is gone").isFalse();
    }

    @Test
    void aConfigMapIsBackedUpAndRestoredThroughTheKubernetesApi() throws Exception {
        client.configMaps().inNamespace("app").resource(new ConfigMapBuilder().withNewMetadata().withName("platform-env").endMetadata()
                .addToData("APP_HOST", "source.example.com").addToData("FEATURES", "a,b,c")
                .addToBinaryData("cert.der", Base64.getEncoder().encodeToString(BINARY)).build()).create();
        KubernetesConfig api = new KubernetesConfig(client, "app", "platform-env");
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).component(new ConfigMapComponent(api, Set.of())).timestamp("2023-02-02t16-00-00").call();

        // The destination cluster has its own hostname and other values.
        client.configMaps().inNamespace("app").withName("platform-env").edit(cm -> new ConfigMapBuilder(cm)
                .withData(Map.of("APP_HOST", "dr.example.com", "FEATURES", "none", "EXTRA", "1")).withBinaryData(Map.of()).build());
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(new ConfigMapComponent(api, Set.of("APP_HOST"))).call();

        ConfigMap cm = client.configMaps().inNamespace("app").withName("platform-env").get();
        assertThat(cm.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("APP_HOST", "dr.example.com", "FEATURES", "a,b,c"));
        assertThat(Base64.getDecoder().decode(cm.getBinaryData().get("cert.der"))).isEqualTo(BINARY);

        // Into a cluster where the ConfigMap does not exist yet, it is created.
        client.configMaps().inNamespace("app").withName("platform-env").delete();
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(new ConfigMapComponent(api, Set.of("APP_HOST"))).call();
        assertThat(client.configMaps().inNamespace("app").withName("platform-env").get().getData())
                .containsExactlyInAnyOrderEntriesOf(Map.of("FEATURES", "a,b,c"));
    }

    @Test
    void aSingleFileConfigurationRoundTrips() throws Exception {
        Path file = tmp.resolve("env/platform.env");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "A=1\nB=two\n");
        Repository repo = Repository.open(new LocalStore(tmp.resolve("backups")), "app", null, true);
        new BackupCommand(repo).component(new ConfigMapComponent(new MountedConfig(file), Set.of())).timestamp("2023-02-02t16-00-00").call();
        Files.writeString(file, "A=changed\n");
        new RestoreCommand(repo, "2023-02-02t16-00-00").component(new ConfigMapComponent(new MountedConfig(file), Set.of())).call();
        assertThat(Files.readString(file)).isEqualTo("A=1\nB=two\n");
    }
}
