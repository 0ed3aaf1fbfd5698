package dev.athena.volume;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One line of a volume tree: a folder, a regular file or a symlink, with the metadata a restore
 * reproduces. Paths are relative to the volume's root ("" is the root itself), '/'-separated; names
 * that are not valid UTF-8 are stored base64-encoded in {@code pathRaw} (and {@code targetRaw}).
 */
public record TreeEntry(String path, String pathRaw, String type, int mode, int uid, int gid, long mtimeNs,
                        Long size, Long inode, Long device, Long ctimeNs, Integer nlink,
                        List<String> chunks, String target, String targetRaw) {
    public static final String DIR = "dir";
    public static final String FILE = "file";
    public static final String SYMLINK = "symlink";

    static TreeEntry create(byte[] path, String type, int mode, int uid, int gid, long mtimeNs, Long size, Long inode,
                            Long device, Long ctimeNs, Integer nlink, List<String> chunks, byte[] target) {
        String text = FileNames.utf8(path);
        String targetText = target == null ? null : FileNames.utf8(target);
        return new TreeEntry(text, text == null ? Base64.getEncoder().encodeToString(path) : null, type, mode, uid, gid,
                mtimeNs, size, inode, device, ctimeNs, nlink, chunks,
                targetText, target != null && targetText == null ? Base64.getEncoder().encodeToString(target) : null);
    }

    @JsonIgnore
    public byte[] pathBytes() {
        return pathRaw != null ? Base64.getDecoder().decode(pathRaw) : path.getBytes(StandardCharsets.UTF_8);
    }

    @JsonIgnore
    public byte[] targetBytes() {
        return targetRaw != null ? Base64.getDecoder().decode(targetRaw) : target == null ? null : target.getBytes(StandardCharsets.UTF_8);
    }

    @JsonIgnore
    public String displayPath() {
        return path != null ? path : FileNames.display(pathBytes());
    }

    @JsonIgnore
    public boolean isDir() {
        return DIR.equals(type);
    }

    @JsonIgnore
    public boolean isFile() {
        return FILE.equals(type);
    }

    @JsonIgnore
    public boolean isSymlink() {
        return SYMLINK.equals(type);
    }

    TreeEntry withChunks(List<String> newChunks) {
        return new TreeEntry(path, pathRaw, type, mode, uid, gid, mtimeNs, size, inode, device, ctimeNs, nlink, newChunks, target, targetRaw);
    }
}
