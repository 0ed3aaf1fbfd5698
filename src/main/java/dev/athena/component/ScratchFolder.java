package dev.athena.component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removal of the scratch folders components make and own (staged dumps, scratch servers, WAL read back): whole, and quietly. */
public final class ScratchFolder {
    private static final Logger log = LoggerFactory.getLogger(ScratchFolder.class);

    private ScratchFolder() {
    }

    /** Deletes {@code folder} and everything in it; what cannot be deleted is logged and left, never thrown over the work it served. */
    public static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot remove the scratch folder {}: {}", folder, e.getMessage());
        }
    }
}
