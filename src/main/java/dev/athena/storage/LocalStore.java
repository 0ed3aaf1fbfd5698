package dev.athena.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** Objects as files under a root folder (LOCAL_BACKUP_LOCATION), written to a temp file and renamed into place. */
public final class LocalStore implements ObjectStore {
    private static final String TEMP_SUFFIX = ".athena-tmp";
    private final Path root;

    public LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new StorageException("cannot create backup folder " + this.root + ": " + e.getMessage(), e);
        }
        // A folder that cannot be written (a read-only mount in a recovery cluster) can still be restored from: writes fail one by one.
    }

    public Path root() {
        return root;
    }

    private Path path(String key) {
        return root.resolve(Keys.check(key));
    }

    @Override
    public void put(String key, byte[] data) {
        put(key, data, data.length);
    }

    @Override
    public void put(String key, byte[] data, int length) {
        Path target = path(key);
        forgetReader(key);
        Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            try (FileChannel ch = createInFolder(temp)) {
                ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                // Without fsync a power cut could leave a renamed but empty pack behind a manifest that names it.
                ch.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the temp file is skipped by list() and removed by prune
            }
            if (e instanceof java.nio.file.AccessDeniedException
                    || e instanceof java.nio.file.FileSystemException f && f.getReason() != null && f.getReason().contains("Read-only file system")) {
                throw new ReadOnlyStorageException("cannot write " + target + ": the backup location is read-only (" + e.getMessage() + ")", e);
            }
            throw new StorageException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the file, and its folders if missing. A concurrent {@link #delete} removes folders it
     * leaves empty, so between making the folder and creating the file in it another writer may
     * remove the folder again: make it again. Once the file exists its folder is no longer empty
     * and stays.
     */
    private static FileChannel createInFolder(Path file) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(file.getParent());
                return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (NoSuchFileException | java.nio.file.FileAlreadyExistsException e) {
                // NoSuchFile: the folder went before the file was made. FileAlreadyExists from
                // createDirectories: a folder existed when it was made and was gone when checked.
                // The temp file's name is unique, so it is never the one that already exists.
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(path(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot read " + path(key) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A few open read channels: a restore reads thousands of blobs from the same packs, and opening
     * the file for each costs more than the read. Objects are never modified in place, so a cached
     * channel never shows stale bytes; a deleted pack stays readable through it until evicted.
     */
    private final java.util.Map<String, FileChannel> readers = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, FileChannel> eldest) {
            if (size() > 8) {
                try {
                    eldest.getValue().close();
                } catch (IOException ignored) {
                    // closing a read-only channel cannot lose data
                }
                return true;
            }
            return false;
        }
    };

    private FileChannel reader(String key) throws IOException {
        synchronized (readers) {
            FileChannel ch = readers.get(key);
            if (ch == null || !ch.isOpen()) {
                ch = FileChannel.open(path(key), StandardOpenOption.READ);
                readers.put(key, ch);
            }
            return ch;
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        try {
            return readRange(key, offset, length);
        } catch (java.nio.channels.ClosedChannelException e) {
            // evicted and closed by another thread mid-read: read again through a fresh channel
            try {
                return readRange(key, offset, length);
            } catch (IOException again) {
                throw new StorageException("cannot read " + path(key) + ": " + again.getMessage(), again);
            }
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot read " + path(key) + ": " + e.getMessage(), e);
        }
    }

    private byte[] readRange(String key, long offset, int length) throws IOException {
        FileChannel ch = reader(key);
        long available = Math.max(0, ch.size() - offset);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(length, available));
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                break;
            }
        }
        return buf.position() == buf.capacity() ? buf.array() : java.util.Arrays.copyOf(buf.array(), buf.position());
    }

    private void forgetReader(String key) {
        synchronized (readers) {
            FileChannel cached = readers.remove(key);
            if (cached != null) {
                try {
                    cached.close();
                } catch (IOException ignored) {
                    // read-only
                }
            }
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(path(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot read " + path(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) {
        try {
            return Files.size(path(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new StorageException("cannot read " + path(key) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        // Walk only the folder that can hold the prefix, not the whole root.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<StoredObject> out = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return out;
        }
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String key = root.relativize(file).toString();
                    if (attrs.isRegularFile() && key.startsWith(prefix) && !key.endsWith(TEMP_SUFFIX)) {
                        out.add(new StoredObject(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    // A file removed by a concurrent prune or retention sweep is simply gone.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    @Override
    public List<String> listFolders(String prefix) {
        Path dir = prefix.isEmpty() ? root : root.resolve(Keys.check(prefix.replaceAll("/+$", "")));
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                entries.filter(Files::isDirectory).forEach(p -> out.add(p.getFileName().toString()));
            } catch (IOException e) {
                throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public void delete(String key) {
        Path p = path(key);
        forgetReader(key);
        try {
            Files.deleteIfExists(p);
            // Remove folders left empty, up to the root, so deleted backups leave no trace.
            Path dir = p.getParent();
            while (dir != null && !dir.equals(root) && dir.startsWith(root)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        break;
                    }
                }
                Files.deleteIfExists(dir);
                dir = dir.getParent();
            }
        } catch (java.nio.file.DirectoryNotEmptyException | NoSuchFileException e) {
            // a concurrent writer put something in the folder: keep it
        } catch (IOException e) {
            throw new StorageException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String locate(String key) {
        return "file://" + root + "/" + key;
    }

    @Override
    public String toString() {
        return "local folder " + root;
    }
}
