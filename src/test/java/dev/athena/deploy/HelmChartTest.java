package dev.athena.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import dev.athena.config.AthenaConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The Helm chart in deploy/helm/athena, rendered and linted by real Helm (helm-java ships Helm's Go
 * library) under the value sets an operator would give, then checked object by object: applied to
 * fabric8's mock API server in CRUD mode (no cluster runs here), the pod held to the "restricted"
 * Pod Security Standard, and the container's environment read by Athena's own configuration.
 */
@EnableKubernetesMockClient(crud = true)
class HelmChartTest {
    static KubernetesClient client;
    private static final Path CHART = Path.of("deploy/helm/athena");
    @TempDir
    Path root;

    /** The platform an operator points the chart at: its database, both volumes and its ConfigMap. */
    private static final Map<String, String> PLATFORM = Map.of(
            "secrets.apiKeys", "test-api-key-0123456789abcdef",
            "secrets.encryptionKey", "test-encryption-key-0123456789abcdef",
            "postgres.host", "postgres.platform.svc",
            "volumes.metagraph.claimName", "metagraph-data",
            "volumes.gitserver.claimName", "gitserver-data",
            "configMap.name", "platform-env",
            "platformVersion", "3.4.1",
            "backup.s3.region", "eu-west-1");

    private static List<HasMetadata> render(Map<String, String> values) {
        TemplateCommand template = new Helm(CHART).template().withName("athena").withNamespace("platform");
        values.forEach(template::set);
        String yaml = template.call();
        return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> items, Class<T> kind) {
        List<T> found = items.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static Map<String, String> with(Map<String, String> base, String... more) {
        Map<String, String> out = new LinkedHashMap<>(base);
        for (int i = 0; i < more.length; i += 2) {
            out.put(more[i], more[i + 1]);
        }
        return out;
    }

    /** Strictly: a warning fails too. (Lint renders with the chart's own values, whose empty keys it reports as information.) */
    @Test
    void helmLintsTheChartCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void theDefaultsBackUpToS3WithNoVolumeForBackupsAndEveryObjectApplies() {
        List<HasMetadata> items = render(PLATFORM);
        assertThat(items).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("ServiceAccount", "Secret", "Role", "RoleBinding", "Service", "Deployment");
        for (HasMetadata item : items) {
            client.resource(item).inNamespace("platform").create();
        }
        Deployment d = only(items, Deployment.class);
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container athena = pod.getContainers().get(0);
        assertThat(d.getSpec().getStrategy().getType()).as("never two writers at once").isEqualTo("Recreate");
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(athena.getImage()).isEqualTo("athena:0.1.0");
        assertThat(athena.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(athena.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(athena.getEnv()).extracting(EnvVar::getName).contains("BACKUP_LOCATION_TYPE", "AWS_S3_BUCKET_NAME")
                .doesNotContain("LOCAL_BACKUP_LOCATION");
        assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("backups");
        Volume scratch = pod.getVolumes().stream().filter(v -> v.getName().equals("scratch")).findFirst().orElseThrow();
        assertThat(scratch.getEmptyDir().getSizeLimit().toString()).isEqualTo("20Gi");
    }

    @Test
    void thePodPassesTheRestrictedPodSecurityStandard() {
        PodSpec pod = only(render(PLATFORM), Deployment.class).getSpec().getTemplate().getSpec();
        RestrictedPodSecurity.check(pod);
        assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/scratch");
    }

    /** Every variable is one the README documents, every path is on a mounted volume, and Athena accepts the whole environment. */
    @Test
    void theContainersEnvironmentIsAValidAthenaConfiguration() throws Exception {
        List<HasMetadata> items = render(with(PLATFORM, "secrets.postgresPassword", "s3cret-password", "extraEnv.ATHENA_TRANSFER_THREADS", "8"));
        Deployment deployment = only(items, Deployment.class);
        Secret secret = only(items, Secret.class);
        Container athena = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = ContainerEnvironment.of(athena, secret, root);
        assertThat(env).containsEntry("POSTGRES_PASSWORD", "s3cret-password").containsEntry("ATHENA_TRANSFER_THREADS", "8")
                .containsKeys("POSTGRES_HOST", "METAGRAPH_VOLUME_PATH", "GITSERVER_VOLUME_PATH", "CONFIGMAP_NAME", "ATHENA_API_KEYS",
                        "ATHENA_ENCRYPTION_KEY", "PLATFORM_VERSION");
        assertThat(env).containsEntry("ATHENA_ENCRYPTION_KEY", "test-encryption-key-0123456789abcdef");
        AthenaConfig config = AthenaConfig.fromEnv(env);
        assertThat(config.namespace()).isEqualTo("platform");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("the pod outlives the shutdown grace a running backup gets").isGreaterThan(config.shutdownGraceSeconds());
        assertThat(secret.getMetadata().getAnnotations()).as("an uninstall keeps the encryption key")
                .containsEntry("helm.sh/resource-policy", "keep");
    }

    @Test
    void anExistingSecretIsUsedAndNoneIsCreated() {
        List<HasMetadata> items = render(with(PLATFORM, "existingSecret", "athena-keys"));
        assertThat(items).noneMatch(i -> i instanceof Secret);
        Container athena = only(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(athena.getEnv()).filteredOn(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                .isNotEmpty().allSatisfy(v -> assertThat(v.getValueFrom().getSecretKeyRef().getName()).isEqualTo("athena-keys"));
    }

    @Test
    void theRoleReachesOnlyThePlatformsConfigMap() {
        Role role = only(render(PLATFORM), Role.class);
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResourceNames()).containsExactly("platform-env");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update");
        });
        assertThat(role.getRules()).allSatisfy(rule -> assertThat(rule.getResources()).containsExactly("configmaps"));
        assertThat(render(with(PLATFORM, "rbac.allowConfigMapCreate", "false")).stream().filter(Role.class::isInstance).map(Role.class::cast)
                .flatMap(r -> r.getRules().stream())).allSatisfy(rule -> assertThat(rule.getResourceNames()).containsExactly("platform-env"));
        assertThat(render(Map.of("existingSecret", "keys"))).as("no ConfigMap to manage, no Role").noneMatch(i -> i instanceof Role);
    }

    @Test
    void localBackupsGetAClaimThatOutlivesTheRelease() {
        List<HasMetadata> items = render(with(PLATFORM, "backup.location", "local", "backup.local.size", "50Gi"));
        var pvc = only(items, io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class);
        assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
        assertThat(pvc.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        Container athena = only(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(athena.getEnv()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("LOCAL_BACKUP_LOCATION");
            assertThat(v.getValue()).isEqualTo("/backup");
        });
        assertThat(athena.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/backup");
        assertThat(render(with(PLATFORM, "backup.location", "local", "backup.local.existingClaim", "my-backups")))
                .noneMatch(i -> i instanceof io.fabric8.kubernetes.api.model.PersistentVolumeClaim);
    }

    @Test
    void aSecondLocationWithItsOwnKeysIsAValidConfiguration() throws Exception {
        List<HasMetadata> items = render(with(PLATFORM, "copy.to", "s3://offsite-backups", "copy.endpoint", "https://s3.other.example",
                "copy.retentionDays", "365", "backup.keep.daily", "30", "verify.frequency", "0 0 4 * * *", "backup.keep.monthly", "12", "secrets.copyEncryptionKey", "copy-encryption-key-0123456789",
                "secrets.copyAwsAccessKey", "copy-access", "secrets.copyAwsSecretKey", "copy-secret-0123456789",
                "secrets.notifyWebhookUrls", "https://hooks.example.com/T0/B0/token", "notify.onSuccess", "true"));
        Secret secret = only(items, Secret.class);
        Container athena = only(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = ContainerEnvironment.of(athena, secret, root);
        assertThat(env).containsEntry("COPY_TO", "s3://offsite-backups").containsEntry("COPY_RETENTION_PERIOD", "365")
                .containsEntry("ATHENA_COPY_ENCRYPTION_KEY", "copy-encryption-key-0123456789").containsEntry("COPY_AWS_SECRET_KEY", "copy-secret-0123456789")
                .doesNotContainKey("COPY_FREQUENCY");
        AthenaConfig config = AthenaConfig.fromEnv(env);
        assertThat(config.copy()).hasValueSatisfying(c -> {
            assertThat(c.storage().s3().endpoint()).contains(java.net.URI.create("https://s3.other.example"));
            assertThat(c.storage().s3().accessKey()).contains("copy-access");
            assertThat(c.retentionDays()).isEqualTo(365);
        });
        assertThat(config.retentionKeep()).isEqualTo(new dev.athena.schedule.RetentionPolicy.Keep(0, 30, 0, 12, 0));
        assertThat(env).doesNotContainKey("RETENTION_KEEP_HOURLY").containsEntry("NOTIFY_ON_SUCCESS", "true")
                .containsEntry("VERIFY_READ_DATA_PERCENT", "10");
        assertThat(config.verification()).hasValueSatisfying(v -> assertThat(v.readDataPercent()).isEqualTo(10));
        assertThat(config.notifications().webhooks()).containsExactly(java.net.URI.create("https://hooks.example.com/T0/B0/token"));
        assertThat(ContainerEnvironment.of(only(render(PLATFORM), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0),
                only(render(PLATFORM), Secret.class), root)).doesNotContainKeys("COPY_TO", "ATHENA_COPY_ENCRYPTION_KEY");
        assertThatThrownBy(() -> render(with(PLATFORM, "copy.to", "offsite"))).as("neither a bucket nor a folder").hasMessageContaining("copy.to");
    }

    @Test
    void rdsDrillsAreAValidConfigurationAndOffByDefault() throws Exception {
        Map<String, String> rds = with(PLATFORM, "postgres.host", "", "rds.identifier", "platform-db", "rds.region", "eu-west-1");
        Map<String, String> off = ContainerEnvironment.of(only(render(rds), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0),
                only(render(rds), Secret.class), root);
        assertThat(off).doesNotContainKeys("DRILL_RDS", "DRILL_RDS_INSTANCE_CLASS");
        List<HasMetadata> items = render(with(rds, "drill.rds.enabled", "true", "drill.rds.instanceClass", "db.t4g.micro",
                "drill.rds.securityGroups", "sg-0123456789abcdef0"));
        Map<String, String> env = ContainerEnvironment.of(only(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0),
                only(items, Secret.class), root);
        assertThat(env).containsEntry("DRILL_RDS", "true").containsEntry("DRILL_RDS_INSTANCE_CLASS", "db.t4g.micro")
                .doesNotContainKey("DRILL_RDS_SUBNET_GROUP");
        assertThat(AthenaConfig.fromEnv(env).drills().rds()).hasValueSatisfying(d -> assertThat(d.securityGroups()).containsExactly("sg-0123456789abcdef0"));
        assertThatThrownBy(() -> render(with(rds, "drill.rds.instanceClass", "micro"))).hasMessageContaining("instanceClass");
    }

    @Test
    void monitoringObjectsComeOnRequest() throws Exception {
        List<HasMetadata> items = render(with(PLATFORM, "metrics.serviceMonitor.enabled", "true", "metrics.prometheusRule.enabled", "true",
                "postgres.backupMode", "both", "postgres.walArchive", "true", "postgres.baseBackupMaxAgeHours", "24"));
        assertThat(items).extracting(HasMetadata::getKind).contains("ServiceMonitor", "PrometheusRule");
        Map<String, String> env = ContainerEnvironment.of(only(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0),
                only(items, Secret.class), root);
        assertThat(env).containsEntry("POSTGRES_BACKUP_MODE", "both").containsEntry("POSTGRES_WAL_ARCHIVE", "true")
                .containsEntry("WAL_UPLOAD_INTERVAL_SECONDS", "10").containsEntry("POSTGRES_BASE_BACKUP_MAX_AGE_HOURS", "24");
        assertThat(AthenaConfig.fromEnv(env).physical().walArchive()).isTrue();
        assertThat(AthenaConfig.fromEnv(env).physical().baseBackupMaxAge()).hasHours(24);
        HasMetadata rule = items.stream().filter(i -> i.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        String yaml = io.fabric8.kubernetes.client.utils.Serialization.asYaml(rule);
        assertThat(yaml).contains("athena_backup_last_success_timestamp_seconds", "14400", "athena_backups_total", "AthenaBackupRunningLong",
                "AthenaCopyFailed", "AthenaDamageFound", "AthenaDrillFailed", "AthenaDrillRunningLong", "AthenaWalArchiveLagging");
        // Every metric a rule watches is one the service serves (with a second location and webhooks configured).
        java.util.Set<String> watched = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("athena_[a-z_]+").matcher(yaml);
        while (m.find()) {
            watched.add(m.group());
        }
        try (dev.athena.testing.ServiceFixture athena = new dev.athena.testing.ServiceFixture(root.resolve("service"), java.time.Clock.systemUTC(),
                Map.of("COPY_TO", root.resolve("copies").toString(), "NOTIFY_WEBHOOK_URLS", "http://127.0.0.1:9/hook", "ENABLE_REGULAR_BACKUPS", "true",
                        "VERIFY_FREQUENCY", "0 0 4 * * *"))) {
            athena.blocking.hold();
            athena.call("POST", "/athena/api/v1/ondemandbackup", "{}");
            athena.blocking.awaitEntered();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> athena.send("GET", "/metrics", null).body().contains("athena_job_running_seconds"));
            String served = athena.send("GET", "/metrics", null).body();
            athena.blocking.release();
            assertThat(watched).isNotEmpty().allSatisfy(name -> assertThat(served).as("the service serves " + name).contains(name));
        }
    }

    @Test
    void badValuesAreRefusedWithAReason() {
        assertThatThrownBy(() -> render(with(PLATFORM, "backup.locaton", "local"))).as("a misspelt value")
                .hasMessageContaining("locaton");
        assertThatThrownBy(() -> render(with(PLATFORM, "image.tag", "latest"))).hasMessageContaining("'latest' is refused");
        assertThatThrownBy(() -> render(with(PLATFORM, "backup.location", "nfs"))).hasMessageContaining("backup.location");
        assertThatThrownBy(() -> render(with(PLATFORM, "rds.identifier", "platform-db"))).hasMessageContaining("keep one");
        assertThatThrownBy(() -> render(with(PLATFORM, "extraEnv.athena_port", "1"))).hasMessageContaining("extraEnv");
        Map<String, String> noKey = new LinkedHashMap<>(PLATFORM);
        noKey.remove("secrets.encryptionKey");
        assertThatThrownBy(() -> render(noKey)).as("no key is ever made up").hasMessageContaining("secrets.encryptionKey is empty");
    }
}
