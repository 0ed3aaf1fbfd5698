package dev.athena.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.config.AthenaConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * The manifests in deploy/kubernetes, checked the way a cluster and Athena would take them:
 * applied to fabric8's mock API server in CRUD mode (no cluster runs here), and the Deployment's
 * environment read by Athena's own configuration, as {@code athena serve} reads it at start.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesManifestsTest {
    static KubernetesClient client;
    private static final Path MANIFEST = Path.of("deploy/kubernetes/athena.yaml");
    @TempDir
    Path root;

    private static List<HasMetadata> load() throws Exception {
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            return client.load(in).items();
        }
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> items, Class<T> kind) {
        return items.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName()));
    }

    @Test
    void theManifestsApplyToAnApiServer() throws Exception {
        List<HasMetadata> items = load();
        assertThat(items).extracting(HasMetadata::getKind)
                .containsExactly("ServiceAccount", "Role", "RoleBinding", "Secret", "PersistentVolumeClaim", "Deployment", "Service");
        for (HasMetadata item : items) {
            client.resource(item).inNamespace("platform").create();
        }
        Deployment d = client.apps().deployments().inNamespace("platform").withName("athena").get();
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("athena");
        assertThat(d.getSpec().getStrategy().getType()).as("never two writers at once").isEqualTo("Recreate");
    }

    @Test
    void theRoleGrantsWhatTheConfigComponentDoesWithTheConfigMap() throws Exception {
        Role role = only(load(), Role.class);
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResources()).contains("configmaps");
            assertThat(rule.getVerbs()).contains("get", "create", "update");
        });
    }

    /** Every variable is one the README documents, and Athena accepts the whole environment. */
    @Test
    void theDeploymentsEnvironmentIsAValidAthenaConfiguration() throws Exception {
        List<HasMetadata> items = load();
        Deployment deployment = only(items, Deployment.class);
        Secret secret = only(items, Secret.class);
        Container athena = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> mounts = athena.getVolumeMounts().stream().map(VolumeMount::getMountPath).toList();

        String readme = Files.readString(Path.of("README.md"));
        Map<String, String> env = new HashMap<>();
        for (EnvVar v : athena.getEnv()) {
            assertThat(readme).as("README documents " + v.getName()).contains("`" + v.getName() + "`");
            String value;
            if (v.getValueFrom() == null) {
                value = v.getValue();
            } else if (v.getValueFrom().getSecretKeyRef() != null) {
                assertThat(v.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
                value = secret.getStringData().get(v.getValueFrom().getSecretKeyRef().getKey());
                assertThat(value).as("the Secret holds " + v.getName()).isNotNull();
            } else {
                assertThat(v.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
                value = "platform";
            }
            // A path the pod reads must be on a mounted volume; here the pod's filesystem is a folder.
            if (value.startsWith("/")) {
                String inPod = value;
                assertThat(mounts).as(v.getName() + " is on a mounted volume").anyMatch(m -> inPod.equals(m) || inPod.startsWith(m + "/"));
                value = Files.createDirectories(root.resolve(inPod.substring(1))).toString();
            }
            env.put(v.getName(), value);
        }
        assertThat(env).containsKeys("POSTGRES_HOST", "METAGRAPH_VOLUME_PATH", "GITSERVER_VOLUME_PATH", "CONFIGMAP_NAME", "ATHENA_API_KEYS");

        AthenaConfig config = AthenaConfig.fromEnv(env);
        assertThat(config.namespace()).isEqualTo("platform");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("the pod outlives the shutdown grace a running backup gets").isGreaterThan(config.shutdownGraceSeconds());
        assertThat(athena.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    }

    @Test
    void theImageRunsTheJarWithThePostgresClientAndGit() throws Exception {
        String dockerfile = Files.readString(Path.of("deploy/Dockerfile"));
        assertThat(dockerfile).contains("COPY target/athena.jar").contains("postgresql-client-").contains(" git ");
        Matcher jdk = Pattern.compile("openjdk-(\\d+)-jre").matcher(dockerfile);
        assertThat(jdk.find()).isTrue();
        assertThat(Integer.parseInt(jdk.group(1))).isGreaterThanOrEqualTo(17);
    }
}
