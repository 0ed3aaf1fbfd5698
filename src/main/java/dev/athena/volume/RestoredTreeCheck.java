package dev.athena.volume;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.athena.repository.BlobId;
import dev.athena.repository.Chunker;
import dev.athena.repository.Repository;

/**
 * After a restore: does the folder hold exactly what the backup says? Every entry exists with its
 * type, links point where they did, and every file's content, cut again into chunks, hashes to the
 * backup's chunk ids (so the restored bytes are checked, not just their sizes).
 */
public final class RestoredTreeCheck {
    public record Result(long files, long dirs, long symlinks, long bytes, List<String> mismatches) {
        public boolean ok() {
            return mismatches.isEmpty();
        }
    }

    private RestoredTreeCheck() {
    }

    public static Result check(Repository repository, List<BlobId> tree, Path folder) throws IOException {
        return check(repository, tree, folder, null);
    }

    /** Checks only the selected paths (and what is under them), for an item-level restore; null checks everything. */
    public static Result check(Repository repository, List<BlobId> tree, Path folder, PathSelection only) throws IOException {
        long files = 0;
        long dirs = 0;
        long links = 0;
        long bytes = 0;
        List<String> mismatches = new ArrayList<>();
        Chunker chunker = new Chunker();
        for (TreeReader r = new TreeReader(repository, tree); r.hasNext(); ) {
            TreeEntry e = r.next();
            byte[] rel = e.pathBytes();
            if (only != null && !only.covers(rel)) {
                continue;
            }
            Path p = rel.length == 0 ? folder : FileNames.resolve(folder, rel);
            String where = rel.length == 0 ? "/" : e.displayPath();
            if (e.isDir()) {
                dirs++;
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    mismatches.add(where + ": folder missing");
                }
            } else if (e.isSymlink()) {
                links++;
                if (!Files.isSymbolicLink(p) || !Arrays.equals(FileNames.bytes(Files.readSymbolicLink(p)), e.targetBytes())) {
                    mismatches.add(where + ": link missing or pointing elsewhere");
                }
            } else if (e.isFile()) {
                files++;
                bytes += e.size();
                List<String> actual = new ArrayList<>();
                try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                    long size = chunker.split(in, (buf, off, len) -> actual.add(BlobId.of(buf, off, len).hex()));
                    if (size != e.size() || !actual.equals(e.chunks() == null ? List.of() : e.chunks())) {
                        mismatches.add(where + ": content differs from the backup");
                    }
                } catch (NoSuchFileException ex) {
                    mismatches.add(where + ": file missing");
                }
            }
        }
        return new Result(files, dirs, links, bytes, mismatches);
    }
}
