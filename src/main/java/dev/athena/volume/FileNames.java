package dev.athena.volume;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * File names as the bytes the kernel stores. Linux names are any bytes but '/' and NUL; Java turns
 * names that are not valid in the platform charset into U+FFFD, which would lose them. The JDK's
 * Unix paths keep the raw bytes internally, and this class reaches them (the jar opens
 * {@code java.base/sun.nio.fs} for it). Without that access it falls back to UTF-8 text.
 */
public final class FileNames {
    private static final MethodHandle AS_BYTES;
    private static final MethodHandle FROM_BYTES;
    private static final FileSystem FS = FileSystems.getDefault();

    static {
        MethodHandle asBytes = null;
        MethodHandle fromBytes = null;
        try {
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Method m = unixPath.getDeclaredMethod("asByteArray");
            m.setAccessible(true);
            Constructor<?> c = unixPath.getDeclaredConstructor(Class.forName("sun.nio.fs.UnixFileSystem"), byte[].class);
            c.setAccessible(true);
            asBytes = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(byte[].class, Path.class));
            fromBytes = MethodHandles.lookup().unreflectConstructor(c).asType(MethodType.methodType(Path.class, FileSystem.class, byte[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not Linux, or java.base/sun.nio.fs is not opened: names that are not UTF-8 cannot be kept
        }
        AS_BYTES = asBytes;
        FROM_BYTES = fromBytes;
    }

    private FileNames() {
    }

    /** True when names of any bytes are kept exactly. */
    public static boolean rawBytesSupported() {
        return AS_BYTES != null;
    }

    /** The raw bytes of a path's last element. */
    public static byte[] name(Path path) {
        return bytes(path.getFileName());
    }

    public static byte[] bytes(Path path) {
        if (AS_BYTES != null) {
            try {
                return ((byte[]) AS_BYTES.invokeExact(path)).clone();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        return path.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code dir} joined with one name given as raw bytes; the name must be a single element. */
    public static Path resolve(Path dir, byte[] name) {
        return dir.resolve(path(name));
    }

    public static Path path(byte[] bytes) {
        if (FROM_BYTES != null) {
            try {
                return (Path) FROM_BYTES.invokeExact(FS, bytes.clone());
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        return Path.of(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Text for messages: valid UTF-8 as is, other bytes escaped as \xNN. */
    public static String display(byte[] bytes) {
        String s = utf8(bytes);
        if (s != null) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            if (x >= 0x20 && x < 0x7f) {
                b.append((char) x);
            } else {
                b.append(String.format("\\x%02x", x & 0xff));
            }
        }
        return b.toString();
    }

    /**
     * Orders paths as a depth-first walk with sorted children visits them: element by element,
     * bytes unsigned. Treating '/' as the lowest byte gives that order on the joined form.
     */
    public static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int x = a[i] == '/' ? -1 : a[i] & 0xff;
            int y = b[i] == '/' ? -1 : b[i] & 0xff;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /**
     * The positions of {@code names} in the order of their bytes, unsigned (a stable merge sort).
     * A sort of its own rather than the JDK's: TimSort is shared by every comparator in the process,
     * and a backup of 100,000 files had its merge methods compiled eight times over as new
     * comparators reached it, 0.6 CPU-s of C2 on a 2-core machine.
     */
    static int[] sortedOrder(byte[][] names) {
        int n = names.length;
        int[] from = new int[n];
        int[] to = new int[n];
        for (int i = 0; i < n; i++) {
            from[i] = i;
        }
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    to[k++] = java.util.Arrays.compareUnsigned(names[from[i]], names[from[j]]) <= 0 ? from[i++] : from[j++];
                }
                while (i < mid) {
                    to[k++] = from[i++];
                }
                while (j < hi) {
                    to[k++] = from[j++];
                }
            }
            int[] t = from;
            from = to;
            to = t;
        }
        return from;
    }

    /** Checks one name read from a repository before it is used as a path element. */
    public static void checkName(byte[] name, String where) {
        if (name.length == 0 || (name.length == 1 && name[0] == '.') || (name.length == 2 && name[0] == '.' && name[1] == '.')) {
            throw new UnsafePathException("unsafe path element '" + display(name) + "' in " + where);
        }
        for (byte b : name) {
            if (b == '/' || b == 0) {
                throw new UnsafePathException("unsafe byte in path element '" + display(name) + "' in " + where);
            }
        }
    }

    static byte[] join(byte[] parent, byte[] name) {
        if (parent.length == 0) {
            return name.clone();
        }
        byte[] out = Arrays.copyOf(parent, parent.length + 1 + name.length);
        out[parent.length] = '/';
        System.arraycopy(name, 0, out, parent.length + 1, name.length);
        return out;
    }

    static byte[] parentOf(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return Arrays.copyOf(path, i);
            }
        }
        return new byte[0];
    }

    static byte[] lastName(byte[] path) {
        for (int i = path.length - 1; i >= 0; i--) {
            if (path[i] == '/') {
                return Arrays.copyOfRange(path, i + 1, path.length);
            }
        }
        return path.clone();
    }
}
