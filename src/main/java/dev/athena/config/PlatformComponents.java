package dev.athena.config;

import java.util.ArrayList;
import java.util.List;

import dev.athena.component.Component;
import dev.athena.component.GitserverComponent;
import dev.athena.component.MetagraphComponent;
import dev.athena.component.configmap.ConfigMapComponent;
import dev.athena.component.configmap.KubernetesConfig;
import dev.athena.component.configmap.MountedConfig;
import dev.athena.component.postgres.PostgresComponent;
import dev.athena.component.rds.RdsComponent;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.RdsClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** The components this cluster has, from its settings: the database, the volumes, the configuration. */
public final class PlatformComponents {
    private PlatformComponents() {
    }

    private static Component rds(AthenaConfig.RdsSettings s, String namespace, java.util.Optional<dev.athena.component.rds.RdsDrillSettings> drills) {
        RdsClientBuilder b = RdsClient.builder().region(Region.of(s.region()));
        s.endpoint().ifPresent(b::endpointOverride);
        if (s.accessKey().isPresent() && s.secretKey().isPresent()) {
            b.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey().get(), s.secretKey().get())));
        }
        RdsComponent rds = new RdsComponent(b.build(), s.instanceId(), namespace, s.restoreInstanceId().orElse(null), Duration.ofSeconds(15), Duration.ofHours(2));
        return drills.map(rds::drilledAs).orElse(rds);
    }

    private static Component postgres(dev.athena.component.postgres.PostgresSettings settings, AthenaConfig config) {
        PostgresComponent postgres = new PostgresComponent(settings).backingUp(config.physical().logical(), config.physical().physical());
        config.drills().postgres().ifPresent(postgres::drillsOn);
        AthenaConfig.PhysicalPostgres physical = config.physical();
        if (!physical.baseBackupMaxAge().isZero()) {
            postgres.keepingBaseBackups(physical.baseBackupMaxAge(), dev.athena.component.postgres.pitr.WalArchiver.slotName(config.namespace()),
                    physical.uploadInterval().plusSeconds(30));
        }
        if (physical.dataDir().isPresent()) {
            postgres.recoveringIn(new dev.athena.component.postgres.pitr.PointInTimeRecovery.Placement(physical.dataDir().get(),
                    physical.stopCommand().get(), physical.startCommand().get(), settings.address(), Duration.ofHours(2)));
        }
        return postgres;
    }

    public static List<Component> of(AthenaConfig config) {
        List<Component> out = new ArrayList<>();
        if (config.rds().isPresent()) {
            out.add(rds(config.rds().get(), config.namespace(), config.drills().rds()));
        } else {
            config.postgres().ifPresent(p -> out.add(postgres(p, config)));
        }
        config.metagraphPath().ifPresent(p -> out.add(new MetagraphComponent(p, config.metagraphPreHook(), config.metagraphPostHook())));
        config.gitserverPath().ifPresent(p -> out.add(new GitserverComponent(p)));
        config.configMapPath().ifPresent(p -> out.add(new ConfigMapComponent(new MountedConfig(p), config.configPreserveKeys())));
        config.configMapName().ifPresent(n -> out.add(new ConfigMapComponent(
                new KubernetesConfig(new KubernetesClientBuilder().build(), config.namespace(), n), config.configPreserveKeys())));
        return out;
    }
}
