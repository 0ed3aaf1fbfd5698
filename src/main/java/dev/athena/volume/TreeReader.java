package dev.athena.volume;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.databind.ObjectReader;

import dev.athena.repository.BlobId;
import dev.athena.repository.CorruptDataException;
import dev.athena.repository.Json;
import dev.athena.repository.Repository;

/** Streams a tree's entries back, one blob in memory at a time; lines may span blobs. */
public final class TreeReader implements Iterator<TreeEntry> {
    private static final ObjectReader READER = Json.MAPPER.readerFor(TreeEntry.class);
    private final Repository repository;
    private final Iterator<BlobId> blobs;
    private byte[] data = new byte[0];
    private int pos;
    private TreeEntry next;

    public TreeReader(Repository repository, List<BlobId> tree) {
        this.repository = repository;
        this.blobs = tree.iterator();
        advance();
    }

    private void advance() {
        next = null;
        while (true) {
            for (int i = pos; i < data.length; i++) {
                if (data[i] == '\n') {
                    try {
                        next = READER.readValue(data, pos, i - pos);
                    } catch (IOException e) {
                        throw new CorruptDataException("tree entry is not valid JSON: " + e.getMessage(), e);
                    }
                    pos = i + 1;
                    return;
                }
            }
            if (!blobs.hasNext()) {
                if (pos < data.length) {
                    throw new CorruptDataException("tree ends in a partial entry");
                }
                return;
            }
            byte[] more = repository.load(blobs.next());
            byte[] joined = new byte[data.length - pos + more.length];
            System.arraycopy(data, pos, joined, 0, data.length - pos);
            System.arraycopy(more, 0, joined, data.length - pos, more.length);
            data = joined;
            pos = 0;
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public TreeEntry next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        TreeEntry e = next;
        advance();
        return e;
    }

    /** The next entry without consuming it, or null at the end. */
    public TreeEntry peek() {
        return next;
    }
}
