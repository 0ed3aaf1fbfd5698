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
        byte[] line = encode(entry);
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

    private static final com.fasterxml.jackson.core.JsonFactory JSON = Json.MAPPER.getFactory();
    private final com.fasterxml.jackson.core.util.ByteArrayBuilder line = new com.fasterxml.jackson.core.util.ByteArrayBuilder(512);

    /**
     * One entry's line, field by field with Jackson's streaming generator: the same bytes as
     * {@code Json.write(entry)} (fields in the record's order, nulls left out; TreeFormatTest holds
     * them equal), without data binding's per-call work, 7 % of the reading thread in a backup of
     * 100,000 small files.
     */
    byte[] encode(TreeEntry e) {
        line.reset();
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            text(g, "path", e.path());
            text(g, "pathRaw", e.pathRaw());
            text(g, "type", e.type());
            g.writeNumberField("mode", e.mode());
            g.writeNumberField("uid", e.uid());
            g.writeNumberField("gid", e.gid());
            g.writeNumberField("mtimeNs", e.mtimeNs());
            number(g, "size", e.size());
            number(g, "inode", e.inode());
            number(g, "device", e.device());
            number(g, "ctimeNs", e.ctimeNs());
            if (e.nlink() != null) {
                g.writeNumberField("nlink", e.nlink());
            }
            if (e.chunks() != null) {
                g.writeArrayFieldStart("chunks");
                for (String c : e.chunks()) {
                    g.writeString(c);
                }
                g.writeEndArray();
            }
            text(g, "target", e.target());
            text(g, "targetRaw", e.targetRaw());
            g.writeEndObject();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex); // a generator writing into memory
        }
        return line.toByteArray();
    }

    private static void text(com.fasterxml.jackson.core.JsonGenerator g, String field, String value) throws java.io.IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void number(com.fasterxml.jackson.core.JsonGenerator g, String field, Long value) throws java.io.IOException {
        if (value != null) {
            g.writeNumberField(field, value);
        }
    }

    /** The tree's blobs, in order. */
    List<BlobId> finish() {
        cut(true);
        return List.copyOf(blobs);
    }
}
