package dev.athena.component;

import java.util.ArrayList;
import java.util.List;

import dev.athena.component.postgres.PostgresComponent;
import dev.athena.config.AthenaConfig;

/** The components this cluster has, from its settings, in restore order (dependencies first). */
public final class PlatformComponents {
    private PlatformComponents() {
    }

    public static List<Component> of(AthenaConfig config) {
        List<Component> out = new ArrayList<>();
        config.postgres().ifPresent(p -> out.add(new PostgresComponent(p)));
        config.metagraphPath().ifPresent(p -> out.add(new VolumeComponent("metagraph", p)));
        config.gitserverPath().ifPresent(p -> out.add(new GitserverComponent(p)));
        config.configMapPath().ifPresent(p -> out.add(new VolumeComponent("config", p) {
            @Override
            public boolean isConfig() {
                return true;
            }
        }));
        return out;
    }
}
