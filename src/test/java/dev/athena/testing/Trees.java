package dev.athena.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.athena.volume.FileNames;

/** Builds folders with every kind of entry a volume holds, and compares two folders exactly. */
public final class Trees {
    private Trees() {
    }

    /** Files, empty folders, symlinks (relative, absolute, dangling, to folders), hard links, odd names and modes. */
    public static void buildEveryKind(Path root) throws IOException, InterruptedException {
        Files.createDirectories(root);
        Random random = new Random(42);
        write(root.resolve("small.txt"), "hello athena\n".getBytes());
        Files.createFile(root.resolve("empty"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(big);
        write(root.resolve("big.bin"), big);
        Path nested = Files.createDirectories(root.resolve("a/b/c"));
        write(nested.resolve("deep.txt"), "deep".getBytes());
        Files.createDirectories(root.resolve("empty-dir/inner-empty"));
        Files.createSymbolicLink(root.resolve("link-relative"), Path.of("small.txt"));
        Files.createSymbolicLink(root.resolve("link-absolute"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("link-dangling"), Path.of("does/not/exist"));
        Files.createSymbolicLink(root.resolve("link-to-dir"), Path.of("a/b"));
        Files.createSymbolicLink(root.resolve("link-escape"), Path.of("../../../../etc"));
        Files.createLink(root.resolve("hardlink-of-small"), root.resolve("small.txt"));
        Files.createLink(nested.resolve("hardlink-of-big"), root.resolve("big.bin"));
        write(root.resolve("日本語の名前.txt"), "script".getBytes());
        write(root.resolve("Ελληνικά и кириллица"), "scripts".getBytes());
        write(root.resolve("with space & 'quotes'"), "q".getBytes());
        write(root.resolve("newline\nin-name"), "nl".getBytes());
        if (FileNames.rawBytesSupported()) {
            write(FileNames.resolve(root, new byte[] {'l', 'a', 't', 'i', 'n', '1', '-', (byte) 0xe9, (byte) 0xff}), "raw".getBytes());
        }
        Path script = root.resolve("run.sh");
        write(script, "#!/bin/sh\necho hi\n".getBytes());
        Files.setAttribute(script, "unix:mode", 0755);
        Path secret = root.resolve("secret");
        write(secret, "s".getBytes());
        Files.setAttribute(secret, "unix:mode", 0600);
        Path setuid = root.resolve("setuid-sticky");
        write(setuid, "x".getBytes());
        Files.setAttribute(setuid, "unix:mode", 04755);
        Files.setAttribute(root.resolve("empty-dir"), "unix:mode", 01777);
        try (RandomAccessFile sparse = new RandomAccessFile(root.resolve("sparse.img").toFile(), "rw")) {
            sparse.setLength(64L * 1024 * 1024);
            sparse.seek(10L * 1024 * 1024);
            sparse.write("in the middle of nothing".getBytes());
        }
        Files.setLastModifiedTime(root.resolve("small.txt"), FileTime.from(1_234_567_890_123_456_789L, TimeUnit.NANOSECONDS));
        Files.setLastModifiedTime(root.resolve("a"), FileTime.from(1_000_000_000_000_000_001L, TimeUnit.NANOSECONDS));
        new ProcessBuilder("mkfifo", root.resolve("a-fifo").toString()).inheritIO().start().waitFor();
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(root.resolve("a-socket")));
        }
    }

    /** Bytes the file occupies on disk, which is less than its size when it has holes. */
    public static long allocatedBytes(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).start();
        String[] out = new String(proc.getInputStream().readAllBytes()).trim().split(" ");
        proc.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    public static void write(Path p, byte[] data) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    /** Everything a restore must reproduce, keyed by path, special files left out. */
    public static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<Object, String> inodes = new HashMap<>();
        describe(root, root, out, inodes);
        return out;
    }

    private static void describe(Path root, Path p, Map<String, String> out, Map<Object, String> inodes) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,nlink,size,lastModifiedTime,uid,gid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        String rel = root.equals(p) ? "/" : FileNames.display(FileNames.bytes(root.relativize(p)));
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        String owner = " uid=" + a.get("uid") + " gid=" + a.get("gid");
        if (type == 0040000) {
            out.put(rel, "dir mode=" + Integer.toOctalString(mode & 07777) + " mtime=" + mtime + owner);
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                ds.forEach(children::add);
            }
            for (Path c : children) {
                describe(root, c, out, inodes);
            }
        } else if (type == 0100000) {
            String link = "";
            if ((Integer) a.get("nlink") > 1) {
                String first = inodes.putIfAbsent(a.get("ino"), rel);
                link = " linkgroup=" + (first == null ? rel : first);
            }
            out.put(rel, "file mode=" + Integer.toOctalString(mode & 07777) + " mtime=" + mtime + " size=" + a.get("size")
                    + " sha256=" + sha256(p) + owner + link);
        } else if (type == 0120000) {
            // The JDK sets a link's own times with lutimes(2), which keeps microseconds.
            out.put(rel, "symlink -> " + FileNames.display(FileNames.bytes(Files.readSymbolicLink(p))) + " mtime=" + mtime / 1000 + owner);
        }
    }

    /** Removes {@code root} and everything under it (links are removed, not followed). */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@code count} files of {@code bytes} random bytes each (incompressible: every one fills packs), in a new folder {@code dir}. */
    public static Path randomFiles(Path dir, int count, int bytes, long seed) throws IOException {
        Files.createDirectories(dir);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[bytes];
            random.nextBytes(b);
            Files.write(dir.resolve("file-" + i), b);
        }
        return dir;
    }

    /** {@link #describe} with hard-link groups named by all their members, comparable between folders. */
    public static Map<String, String> describeComparable(Path root) throws IOException {
        return normalizeLinks(describe(root));
    }

    public static void assertSameTree(Path expected, Path actual) throws IOException {
        Map<String, String> e = describe(expected);
        Map<String, String> a = describe(actual);
        assertThat(normalizeLinks(a)).containsExactlyInAnyOrderEntriesOf(normalizeLinks(e));
    }

    /** Hard-link groups name their first member in walk order, which differs between folders: normalize. */
    private static Map<String, String> normalizeLinks(Map<String, String> m) {
        Map<String, List<String>> groups = new HashMap<>();
        m.forEach((k, v) -> {
            int i = v.indexOf(" linkgroup=");
            if (i >= 0) {
                groups.computeIfAbsent(v.substring(i), x -> new ArrayList<>()).add(k);
            }
        });
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> {
            int i = v.indexOf(" linkgroup=");
            if (i >= 0) {
                List<String> members = new ArrayList<>(groups.get(v.substring(i)));
                members.sort(null);
                v = v.substring(0, i) + " linked-with=" + members;
            }
            out.put(k, v);
        });
        return out;
    }

    public static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
