package dev.athena.component.configmap;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ConfigMap's content: every key with its exact bytes. Kubernetes keeps UTF-8 text in
 * {@code data} and anything else in {@code binaryData}; {@link #isText} decides which.
 */
public record ConfigData(Map<String, byte[]> entries) {
    public ConfigData {
        entries = new TreeMap<>(entries);
    }

    static boolean isText(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * The backup's entries, except that keys listed in {@code preserve} keep this cluster's value
     * (and stay absent where this cluster has none): a restore into another cluster must not point
     * it at the old one's hostnames.
     */
    public ConfigData restoredOver(ConfigData current, java.util.Set<String> preserve) {
        Map<String, byte[]> out = new TreeMap<>(entries);
        for (String key : preserve) {
            byte[] mine = current == null ? null : current.entries().get(key);
            if (mine == null) {
                out.remove(key);
            } else {
                out.put(key, mine);
            }
        }
        return new ConfigData(out);
    }

    public boolean sameAs(ConfigData other) {
        if (!entries.keySet().equals(other.entries.keySet())) {
            return false;
        }
        return entries.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.entries.get(e.getKey())));
    }
}
