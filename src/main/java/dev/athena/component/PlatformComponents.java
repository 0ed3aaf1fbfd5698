package dev.athena.component;

import java.util.ArrayList;
import java.util.List;

import dev.athena.component.config.ConfigMapComponent;
import dev.athena.component.config.KubernetesConfig;
import dev.athena.component.config.MountedConfig;
import dev.athena.component.postgres.PostgresComponent;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import dev.athena.config.AthenaConfig;

/** The components this cluster has, from its settings, in restore order (dependencies first). */
public final class PlatformComponents {
    private PlatformComponents() {
    }

    public static List<Component> of(AthenaConfig config) {
        List<Component> out = new ArrayList<>();
        config.postgres().ifPresent(p -> out.add(new PostgresComponent(p)));
        config.metagraphPath().ifPresent(p -> out.add(new MetagraphComponent(p, config.metagraphPreHook(), config.metagraphPostHook())));
        config.gitserverPath().ifPresent(p -> out.add(new GitserverComponent(p)));
        config.configMapPath().ifPresent(p -> out.add(new ConfigMapComponent(new MountedConfig(p), config.configPreserveKeys())));
        config.configMapName().ifPresent(n -> out.add(new ConfigMapComponent(
                new KubernetesConfig(new KubernetesClientBuilder().build(), config.namespace(), n), config.configPreserveKeys())));
        return out;
    }
}
