package dev.athena.component.configmap;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CONFIGMAP_PATH: the ConfigMap as Kubernetes mounts it (each key a link into a timestamped
 * {@code ..data} folder), a plain folder with one file per key, or a single file (one key, its
 * name). Writes follow the same layout; in the Kubernetes layout the new keys appear at once, by
 * swapping the {@code ..data} link, as the kubelet itself does.
 */
public final class MountedConfig implements ConfigSource {
    private static final String DATA = "..data";
    private final Path path;

    public MountedConfig(Path path) {
        this.path = path;
    }

    private boolean singleFile() {
        return Files.isRegularFile(path);
    }

    private boolean kubernetesLayout() {
        return Files.isSymbolicLink(path.resolve(DATA));
    }

    @Override
    public ConfigData read() throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        Map<String, byte[]> entries = new HashMap<>();
        if (singleFile()) {
            entries.put(path.getFileName().toString(), Files.readAllBytes(path));
            return new ConfigData(entries);
        }
        for (Path p : keys()) {
            entries.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return new ConfigData(entries);
    }

    /** The key files: every visible entry that is (or links to) a regular file; '..' entries are Kubernetes' own. */
    private List<Path> keys() throws IOException {
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("..")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Override
    public void write(ConfigData data) throws IOException {
        if (singleFile()) {
            byte[] value = data.entries().get(path.getFileName().toString());
            if (value == null && data.entries().size() == 1) {
                value = data.entries().values().iterator().next();
            }
            if (value == null) {
                throw new IOException("the backup has no key '" + path.getFileName() + "' to write to " + path);
            }
            replaceFile(path, value);
            return;
        }
        Files.createDirectories(path);
        if (kubernetesLayout()) {
            writeKubernetesLayout(data);
        } else {
            for (Path old : keys()) {
                if (!data.entries().containsKey(old.getFileName().toString())) {
                    Files.delete(old);
                }
            }
            for (Map.Entry<String, byte[]> e : data.entries().entrySet()) {
                replaceFile(path.resolve(checkKey(e.getKey())), e.getValue());
            }
        }
    }

    private void writeKubernetesLayout(ConfigData data) throws IOException {
        String stamp = ".." + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.nnnnnnnnn"));
        Path fresh = Files.createDirectory(path.resolve(stamp));
        for (Map.Entry<String, byte[]> e : data.entries().entrySet()) {
            Files.write(fresh.resolve(checkKey(e.getKey())), e.getValue());
        }
        Path previous = path.resolve(DATA).toRealPath();
        Path link = path.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(stamp));
        Files.move(link, path.resolve(DATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> s = Files.list(path)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().startsWith("..")).toList()) {
                if (!data.entries().containsKey(p.getFileName().toString())) {
                    Files.delete(p);
                }
            }
        }
        for (String key : data.entries().keySet()) {
            Path keyLink = path.resolve(key);
            if (!Files.isSymbolicLink(keyLink)) {
                Files.deleteIfExists(keyLink);
                Files.createSymbolicLink(keyLink, Path.of(DATA, key));
            }
        }
        if (!previous.equals(fresh.toRealPath()) && previous.startsWith(path.toRealPath())) {
            try (Stream<Path> s = Files.walk(previous)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String checkKey(String key) throws IOException {
        if (!key.matches("[-._a-zA-Z0-9]+") || key.startsWith("..") || key.equals(".")) {
            throw new IOException("'" + key + "' is not a valid ConfigMap key");
        }
        return key;
    }

    private static void replaceFile(Path target, byte[] value) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".athena-tmp");
        Files.write(temp, value);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void checkWritable() throws IOException {
        Path dir = singleFile() ? path.getParent() : path;
        while (dir != null && !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isWritable(dir)) {
            throw new IOException("CONFIGMAP_PATH " + path + " is not writable here"
                    + " (a ConfigMap mounted by Kubernetes is read-only: use CONFIGMAP_NAME to restore through the API)");
        }
    }

    @Override
    public String describe() {
        return path.toString();
    }
}
