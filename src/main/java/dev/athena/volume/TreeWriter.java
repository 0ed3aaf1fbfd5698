package dev.athena.volume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.athena.repository.BlobId;
import dev.athena.repository.BlobType;
import dev.athena.repository.Chunker;
import dev.athena.repository.Json;
import dev.athena.repository.Repository;

/**
 * Writes a tree as JSON lines, cut into TREE blobs at content-defined points, so a tree that
 * changed in a few lines shares most of its blobs with the previous backup's.
 */
final class TreeWriter {
    private final Repository repository;
    /**
     * The lines not yet cut into blobs: a cut needs {@link Chunker#MAX_SIZE} bytes ahead to fall
     * where it would in any other backup, so this holds a little over that, cut in place (an
     * 8 MiB stream buffer copied out at every cut held 12 MiB, a fifth of a 64 MiB heap).
     */
    private byte[] buffer = new byte[64 * 1024];
    private int size;
    private final List<BlobId> blobs = new ArrayList<>();

    TreeWriter(Repository repository) {
        this.repository = repository;
    }

    void add(TreeEntry entry) {
        byte[] line = Json.write(entry);
        if (size + line.length + 1 > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size + line.length + 1L, buffer.length + buffer.length / 2L)));
        }
        System.arraycopy(line, 0, buffer, size, line.length);
        size += line.length;
        buffer[size++] = '\n';
        if (size >= Chunker.MAX_SIZE) {
            cut(false);
        }
    }

    private void cut(boolean all) {
        int start = 0;
        while (size - start >= (all ? 1 : Chunker.MAX_SIZE)) {
            int length = Chunker.cutPoint(buffer, start, size - start);
            blobs.add(repository.save(BlobType.TREE, buffer, start, length));
            start += length;
        }
        System.arraycopy(buffer, start, buffer, 0, size - start);
        size -= start;
    }

    /** The tree's blobs, in order. */
    List<BlobId> finish() {
        cut(true);
        return List.copyOf(blobs);
    }
}
