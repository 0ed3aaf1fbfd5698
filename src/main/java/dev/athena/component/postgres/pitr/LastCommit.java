package dev.athena.component.postgres.pitr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.athena.component.ExternalCommand;

/**
 * The commit time of the last transaction in a run of archived WAL segments: the latest moment a
 * chain with a hole still reaches, and whether a target lies after every archived commit (which
 * PostgreSQL would refuse to recover to). Read with {@code pg_waldump} (part of
 * PostgreSQL's server package; each major version reads only its own WAL, so every one installed
 * is tried). Segments are read from the newest back, a few at most: a stretch without commits
 * (a bulk load) ends the search without an answer rather than reading the whole archive.
 */
final class LastCommit {
    private static final Logger log = LoggerFactory.getLogger(LastCommit.class);
    private static final Pattern COMMIT = Pattern.compile("desc: COMMIT (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?) UTC");
    private static final DateTimeFormatter PRINTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
    private static final int SEGMENTS_SEARCHED = 8;

    private LastCommit() {
    }

    /**
     * The last commit in {@code contiguous}, read from the archive into a temporary folder (a hole found before anything is
     * staged). Empty when pg_waldump is not installed or the last segments hold no commit.
     */
    static Optional<Instant> in(WalArchive archive, List<WalArchive.Entry> contiguous, long segmentSize) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("athena-waldump-");
            Path into = dir;
            return search(contiguous, dir, e -> {
                byte[] bytes = archive.read(e);
                Files.write(into.resolve(e.name()), e.partial() ? java.util.Arrays.copyOf(bytes, (int) segmentSize) : bytes);
            });
        } catch (IOException e) {
            log.warn("cannot read the last commit of the archived WAL: {}", e.getMessage());
            return Optional.empty();
        } finally {
            if (dir != null) {
                dev.athena.component.ScratchFolder.delete(dir);
            }
        }
    }

    /** The last commit in {@code chain}, whose segments are staged in {@code folder} already (an empty partial is not: skipped). */
    static Optional<Instant> inStaged(Path folder, List<WalArchive.Entry> chain) {
        return search(chain, folder, e -> { });
    }

    private interface Stage {
        void put(WalArchive.Entry segment) throws IOException;
    }

    /** Newest segment first, at most {@value #SEGMENTS_SEARCHED}: each made present in {@code dir} by {@code stage}, then read. */
    private static Optional<Instant> search(List<WalArchive.Entry> chain, Path dir, Stage stage) {
        List<Path> tools = waldumps();
        if (tools.isEmpty()) {
            return Optional.empty();
        }
        try {
            for (int i = chain.size() - 1; i >= Math.max(0, chain.size() - SEGMENTS_SEARCHED); i--) {
                WalArchive.Entry e = chain.get(i);
                stage.put(e);
                if (!Files.exists(dir.resolve(e.name()))) {
                    continue;
                }
                for (Path tool : tools) {
                    ExternalCommand.Result r = new ExternalCommand(List.of(tool.toString(), "-p", dir.toString(), e.name()), Map.of("TZ", "UTC")).run();
                    if (r.stderr().contains("magic number") || r.stderr().contains("WAL file is from different")) {
                        continue; // another major version's reader
                    }
                    Optional<Instant> last = lastCommitIn(r.stdout());
                    if (last.isPresent()) {
                        return last;
                    }
                    break;
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read the last commit of the archived WAL: {}", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static Optional<Instant> lastCommitIn(String waldump) {
        Instant last = null;
        Matcher m = COMMIT.matcher(waldump);
        while (m.find()) {
            last = LocalDateTime.parse(m.group(1), PRINTED).toInstant(ZoneOffset.UTC);
        }
        return Optional.ofNullable(last);
    }

    /** Every installed pg_waldump, newest major first (Debian's layout), then the one on the PATH. */
    private static List<Path> waldumps() {
        List<Path> out = new ArrayList<>();
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> dirs = Files.list(debian)) {
                dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparing((Path d) -> Integer.parseInt(d.getFileName().toString())).reversed())
                        .map(d -> d.resolve("bin/pg_waldump")).filter(Files::isExecutable).forEach(out::add);
            } catch (IOException e) {
                log.debug("cannot list {}: {}", debian, e.getMessage());
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "pg_waldump");
            if (Files.isExecutable(p) && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
