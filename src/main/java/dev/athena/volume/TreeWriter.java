package dev.athena.volume;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
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
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2 * Chunker.MAX_SIZE);
    private final List<BlobId> blobs = new ArrayList<>();

    TreeWriter(Repository repository) {
        this.repository = repository;
    }

    void add(TreeEntry entry) {
        buffer.writeBytes(Json.write(entry));
        buffer.write('\n');
        if (buffer.size() >= Chunker.MAX_SIZE) {
            cut(false);
        }
    }

    private void cut(boolean all) {
        byte[] data = buffer.toByteArray();
        int start = 0;
        while (data.length - start >= (all ? 1 : Chunker.MAX_SIZE)) {
            int length = Chunker.cutPoint(data, start, data.length - start);
            blobs.add(repository.save(BlobType.TREE, data, start, length));
            start += length;
        }
        buffer.reset();
        buffer.write(data, start, data.length - start);
    }

    /** The tree's blobs, in order. */
    List<BlobId> finish() {
        cut(true);
        return List.copyOf(blobs);
    }
}
