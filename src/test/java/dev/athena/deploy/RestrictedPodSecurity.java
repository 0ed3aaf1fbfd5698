package dev.athena.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;

/**
 * The "restricted" Pod Security Standard's rules (kubernetes.io/docs/concepts/security/pod-security-standards),
 * checked on a pod spec as the admission controller would, plus Athena's own: a read-only root
 * filesystem with the folders it writes on volumes.
 */
final class RestrictedPodSecurity {
    private RestrictedPodSecurity() {
    }

    static void check(PodSpec pod) {
        PodSecurityContext podContext = pod.getSecurityContext();
        assertThat(podContext).as("a pod securityContext").isNotNull();
        assertThat(podContext.getRunAsNonRoot()).as("runAsNonRoot").isTrue();
        assertThat(podContext.getRunAsUser()).as("runAsUser").isNotNull().isNotZero();
        assertThat(podContext.getSeccompProfile().getType()).isIn("RuntimeDefault", "Localhost");
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        for (Volume v : pod.getVolumes()) {
            assertThat(v.getPersistentVolumeClaim() != null || v.getEmptyDir() != null || v.getConfigMap() != null || v.getSecret() != null
                    || v.getProjected() != null || v.getDownwardAPI() != null || v.getEphemeral() != null || v.getCsi() != null)
                    .as("volume " + v.getName() + " is of a type the restricted standard allows").isTrue();
        }
        for (Container c : pod.getContainers()) {
            SecurityContext s = c.getSecurityContext();
            assertThat(s).as("container " + c.getName() + " has a securityContext").isNotNull();
            assertThat(s.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
            assertThat(s.getPrivileged()).isNotEqualTo(Boolean.TRUE);
            Capabilities caps = s.getCapabilities();
            assertThat(caps.getDrop()).contains("ALL");
            assertThat(caps.getAdd() == null ? List.of() : caps.getAdd()).isSubsetOf("NET_BIND_SERVICE");
            assertThat(s.getRunAsUser() == null || s.getRunAsUser() != 0).isTrue();
            assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
            assertThat(s.getReadOnlyRootFilesystem()).as("only its volumes are writable").isTrue();
            assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).as("the JVM and Athena write only on volumes")
                    .contains("/tmp", "/var/lib/athena");
        }
    }
}
