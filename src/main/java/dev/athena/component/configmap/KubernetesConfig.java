package dev.athena.component.configmap;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * CONFIGMAP_NAME: the ConfigMap read and written through the Kubernetes API (in-cluster
 * credentials or KUBECONFIG). Labels and annotations of the destination's ConfigMap are kept.
 */
public final class KubernetesConfig implements ConfigSource {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public KubernetesConfig(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    @Override
    public ConfigData read() {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm == null) {
            return null;
        }
        Map<String, byte[]> entries = new HashMap<>();
        if (cm.getData() != null) {
            cm.getData().forEach((k, v) -> entries.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        if (cm.getBinaryData() != null) {
            cm.getBinaryData().forEach((k, v) -> entries.put(k, Base64.getDecoder().decode(v)));
        }
        return new ConfigData(entries);
    }

    @Override
    public void write(ConfigData data) {
        Map<String, String> text = new HashMap<>();
        Map<String, String> binary = new HashMap<>();
        data.entries().forEach((k, v) -> {
            if (ConfigData.isText(v)) {
                text.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                binary.put(k, Base64.getEncoder().encodeToString(v));
            }
        });
        ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name).get();
        ConfigMapBuilder b = existing == null
                ? new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                : new ConfigMapBuilder(existing);
        ConfigMap updated = b.withData(text).withBinaryData(binary).build();
        if (existing == null) {
            client.configMaps().inNamespace(namespace).resource(updated).create();
        } else {
            client.configMaps().inNamespace(namespace).resource(updated).update();
        }
    }

    @Override
    public void checkWritable() {
        try {
            client.configMaps().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot reach ConfigMap " + namespace + "/" + name + " through the Kubernetes API: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "ConfigMap " + namespace + "/" + name;
    }
}
