package dev.athena.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.config.AthenaConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
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
    private static final Path SECRET = Path.of("deploy/kubernetes/secret.yaml");
    private static final Path LOCAL_BACKUPS = Path.of("deploy/kubernetes/local-backups.yaml");
    @TempDir
    Path root;

    private static List<HasMetadata> load() throws Exception {
        return load(MANIFEST);
    }

    private static List<HasMetadata> load(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        }
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> items, Class<T> kind) {
        return items.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow(() -> new AssertionError("no " + kind.getSimpleName()));
    }

    @Test
    void theManifestsApplyToAnApiServer() throws Exception {
        List<HasMetadata> items = new java.util.ArrayList<>(load());
        assertThat(items).extracting(HasMetadata::getKind)
                .as("the Secret in its own file, and no claim for backups in the cluster by default")
                .containsExactly("ServiceAccount", "Role", "RoleBinding", "Deployment", "Service");
        assertThat(load(SECRET)).extracting(HasMetadata::getKind).containsExactly("Secret");
        assertThat(load(LOCAL_BACKUPS)).extracting(HasMetadata::getKind).containsExactly("PersistentVolumeClaim");
        items.addAll(load(SECRET));
        items.addAll(load(LOCAL_BACKUPS));
        for (HasMetadata item : items) {
            client.resource(item).inNamespace("platform").create();
        }
        Deployment d = client.apps().deployments().inNamespace("platform").withName("athena").get();
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("athena");
        assertThat(d.getSpec().getStrategy().getType()).as("never two writers at once").isEqualTo("Recreate");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).as("a pinned version")
                .matches("athena:\\d+\\.\\d+\\.\\d+");
        RestrictedPodSecurity.check(d.getSpec().getTemplate().getSpec());
    }

    @Test
    void theRoleGrantsWhatTheConfigComponentDoesWithTheConfigMap() throws Exception {
        List<HasMetadata> items = load();
        Role role = only(items, Role.class);
        String configMap = only(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(v -> v.getName().equals("CONFIGMAP_NAME")).findFirst().orElseThrow().getValue();
        assertThat(role.getRules()).anySatisfy(rule -> {
            assertThat(rule.getResources()).containsExactly("configmaps");
            assertThat(rule.getResourceNames()).as("that ConfigMap only").containsExactly(configMap);
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update");
        });
        assertThat(role.getRules()).flatExtracting(r -> r.getVerbs()).containsExactlyInAnyOrder("get", "update", "create");
    }

    /** Every variable is one the README documents, and Athena accepts the whole environment. */
    @Test
    void theDeploymentsEnvironmentIsAValidAthenaConfiguration() throws Exception {
        List<HasMetadata> items = load();
        Deployment deployment = only(items, Deployment.class);
        Secret secret = only(load(SECRET), Secret.class);
        Container athena = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = ContainerEnvironment.of(athena, secret, root);
        assertThat(env).containsKeys("POSTGRES_HOST", "METAGRAPH_VOLUME_PATH", "GITSERVER_VOLUME_PATH", "CONFIGMAP_NAME", "ATHENA_API_KEYS")
                .containsEntry("BACKUP_LOCATION_TYPE", "s3");

        AthenaConfig config = AthenaConfig.fromEnv(env);
        assertThat(config.namespace()).isEqualTo("platform");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("the pod outlives the shutdown grace a running backup gets").isGreaterThan(config.shutdownGraceSeconds());
        assertThat(athena.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    }

    @Test
    void theImageIsBuiltInStagesFromPinnedBasesAndRunsAsAnUnprivilegedUser() throws Exception {
        String dockerfile = Files.readString(Path.of("deploy/Dockerfile"));
        List<String> lines = dockerfile.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).as("a build stage and a runtime stage").hasSize(2);
        assertThat(froms.get(0)).contains(" AS build");
        for (String from : froms) {
            String image = from.split("\\s+")[1];
            assertThat(image).as(from + ": a pinned tag with a version, never latest").matches("[a-z0-9./-]+:[^:]*\\d[^:]*").doesNotContain(":latest");
        }
        assertThat(dockerfile).contains("COPY --from=build /src/target/athena.jar").contains(" git ");
        for (int major = 15; major <= 18; major++) {
            assertThat(dockerfile).as("PostgreSQL " + major + "'s client").contains("postgresql-client-" + major);
            assertThat(dockerfile).as("PostgreSQL " + major + "'s server, for a point-in-time restore's scratch server").contains(" postgresql-" + major + " ");
        }
        Matcher jdk = Pattern.compile("openjdk-(\\d+)-jre").matcher(dockerfile);
        assertThat(jdk.find()).isTrue();
        assertThat(Integer.parseInt(jdk.group(1))).isGreaterThanOrEqualTo(17);
        List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).as("one USER, the last word on who runs it").hasSize(1);
        String user = users.get(0).substring(5).split(":")[0];
        assertThat(user).as("a numeric uid, so runAsNonRoot can check it").matches("\\d+").isNotEqualTo("0");
        assertThat(lines.indexOf(users.get(0))).as("USER comes after everything that needs root")
                .isGreaterThan(lines.indexOf(lines.stream().filter(l -> l.startsWith("RUN ")).reduce((a, b) -> b).orElseThrow()));
        assertThat(dockerfile).contains("HEALTHCHECK").contains("/healthz");
        assertThat(dockerfile).contains("useradd --system --uid " + user);
    }
}
