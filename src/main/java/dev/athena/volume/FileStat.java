package dev.athena.volume;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One lstat of a path: what a tree entry records of it. Read through the JDK's own Unix attributes
 * object (the jar opens {@code java.base/sun.nio.fs}, as for {@link FileNames}): the public way,
 * {@code Files.readAttributes(path, "unix:mode,ino,...")}, makes the same one system call but
 * parses the attribute list and fills a map on every call, and was a quarter of the reading
 * thread's time in a backup of 100,000 small files. Without that access it falls back to the map.
 */
record FileStat(int mode, long ino, long dev, int nlink, int uid, int gid, long size, long mtimeNs, long ctimeNs) {
    private static final Class<?> UNIX_ATTRIBUTES;
    private static final MethodHandle MODE;
    private static final MethodHandle INO;
    private static final MethodHandle DEV;
    private static final MethodHandle NLINK;
    private static final MethodHandle UID;
    private static final MethodHandle GID;
    private static final MethodHandle CTIME;

    static {
        Class<?> type = null;
        MethodHandle[] h = new MethodHandle[7];
        try {
            type = Class.forName("sun.nio.fs.UnixFileAttributes");
            String[] names = {"mode", "ino", "dev", "nlink", "uid", "gid", "ctime"};
            Class<?>[] returns = {int.class, long.class, long.class, int.class, int.class, int.class, FileTime.class};
            for (int i = 0; i < names.length; i++) {
                Method m = type.getDeclaredMethod(names[i]);
                m.setAccessible(true);
                h[i] = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(returns[i], Object.class));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not Linux, or java.base/sun.nio.fs is not opened: read through the public attribute map
            type = null;
        }
        UNIX_ATTRIBUTES = type;
        MODE = h[0];
        INO = h[1];
        DEV = h[2];
        NLINK = h[3];
        UID = h[4];
        GID = h[5];
        CTIME = h[6];
    }

    /** The path itself, not what a link points to. */
    static FileStat of(Path p) throws IOException {
        if (UNIX_ATTRIBUTES != null) {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (UNIX_ATTRIBUTES.isInstance(a)) {
                try {
                    return new FileStat((int) MODE.invokeExact((Object) a), (long) INO.invokeExact((Object) a), (long) DEV.invokeExact((Object) a),
                            (int) NLINK.invokeExact((Object) a), (int) UID.invokeExact((Object) a), (int) GID.invokeExact((Object) a), a.size(),
                            nanos(a.lastModifiedTime()), nanos((FileTime) CTIME.invokeExact((Object) a)));
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,nlink,uid,gid,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
        return new FileStat(((Number) a.get("mode")).intValue(), ((Number) a.get("ino")).longValue(), ((Number) a.get("dev")).longValue(),
                ((Number) a.get("nlink")).intValue(), ((Number) a.get("uid")).intValue(), ((Number) a.get("gid")).intValue(),
                ((Number) a.get("size")).longValue(), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
    }

    /** True when the Unix attributes are read directly, not through the map. */
    static boolean direct() {
        return UNIX_ATTRIBUTES != null;
    }

    private static long nanos(Object fileTime) {
        return ((FileTime) fileTime).to(TimeUnit.NANOSECONDS);
    }
}
