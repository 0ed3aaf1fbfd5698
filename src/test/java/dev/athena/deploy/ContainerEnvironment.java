package dev.athena.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The environment a deployed Athena container would see, resolved as Kubernetes resolves it: values
 * from the Secret (stringData or base64 data), the namespace from the downward API, and every path
 * on a mounted volume, made a folder under {@code root} (the pod's filesystem). Each variable must be
 * one README.md documents.
 */
final class ContainerEnvironment {
    private ContainerEnvironment() {
    }

    static Map<String, String> of(Container athena, Secret secret, Path root) throws IOException {
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
                value = secretValue(secret, v.getValueFrom().getSecretKeyRef().getKey());
                if (value == null && Boolean.TRUE.equals(v.getValueFrom().getSecretKeyRef().getOptional())) {
                    continue; // as Kubernetes does: an optional key the Secret lacks sets no variable
                }
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
        return env;
    }

    private static String secretValue(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
