package dev.athena.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileStat reads the JDK's Unix attributes directly; it must say exactly what the public "unix:" view says. */
class FileStatTest {
    @TempDir
    Path tmp;

    @Test
    void aFileAFolderAndALinkReadTheSameAsThroughThePublicView() throws Exception {
        // The tests run with java.base/sun.nio.fs opened, as the jar's manifest opens it.
        assertThat(FileStat.direct()).isTrue();
        Path file = Files.write(tmp.resolve("f"), new byte[1234]);
        Files.setLastModifiedTime(file, FileTime.from(1_234_567_890_123_456_789L, TimeUnit.NANOSECONDS));
        Files.createLink(tmp.resolve("hard"), file);
        Files.setAttribute(file, "unix:mode", 04750);
        Path dir = Files.createDirectory(tmp.resolve("d"));
        Path link = Files.createSymbolicLink(tmp.resolve("l"), Path.of("does/not/exist"));
        for (Path p : new Path[] {file, dir, link}) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,ino,dev,nlink,uid,gid,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
            assertThat(FileStat.of(p)).as(p.toString()).isEqualTo(new FileStat((Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"),
                    (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                    ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS)));
        }
        assertThat(FileStat.of(file).nlink()).isEqualTo(2);
        assertThat(FileStat.of(file).mtimeNs()).isEqualTo(1_234_567_890_123_456_789L);
        assertThat(FileStat.of(file).mode() & 07777).isEqualTo(04750);
    }
}
