package dev.athena.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.athena.repository.Json;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;

/**
 * The gitserver volume: a folder of bare repositories that keeps receiving pushes while it is
 * backed up. A plain copy could catch a ref updated by a push whose objects it had already passed.
 * So every repository's refs are read first, then the folder is copied: git objects are only ever
 * added, each written whole before it is renamed into place, so everything those refs reach is in
 * the copy. The restore then sets each repository's refs back to the ones read first.
 */
public final class GitserverComponent extends VolumeComponent {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GitserverComponent.class);
    public static final String KIND = "gitserver";

    /** One repository's refs as read before its objects: HEAD's content and every ref's object id. */
    public record RepositoryRefs(String head, Map<String, String> refs) {
    }

    public GitserverComponent(Path folder) {
        super("gitserver", folder);
    }

    private GitserverComponent(Path folder, dev.athena.volume.PathSelection repositories) {
        super("gitserver", folder, repositories);
    }

    /** Some of the repositories, by their path in the volume (as the backup's details list them, e.g. {@code team/app.git}). */
    @Override
    public dev.athena.component.Component forDrill(Path scratch, String databasePrefix) {
        // A gitserver of its own: refs set back and git fsck run on every repository of the copy.
        return new GitserverComponent(scratch.resolve(name()));
    }

    @Override
    public dev.athena.component.Component only(List<String> items) {
        return new GitserverComponent(folder(), dev.athena.volume.PathSelection.of(items));
    }

    /** The recorded repositories this restore covers: all of them, or those selected. */
    private Map<String, RepositoryRefs> covered(Manifest.ComponentSnapshot snapshot) {
        Map<String, RepositoryRefs> all = repositories(snapshot);
        if (selection() == null) {
            return all;
        }
        Map<String, RepositoryRefs> out = new TreeMap<>();
        all.forEach((path, refs) -> {
            if (selection().covers(path.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                out.put(path, refs);
            }
        });
        return out;
    }

    @Override
    public void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        if (selection() != null) {
            List<String> notRepositories = selection().paths().stream()
                    .filter(p -> covered(snapshot).keySet().stream().noneMatch(r -> r.equals(p) || r.startsWith(p + "/"))).toList();
            if (!notRepositories.isEmpty()) {
                throw new IllegalArgumentException("backup " + backup + ", component gitserver holds no repository at " + String.join(", ", notRepositories)
                        + "; it holds " + repositories(snapshot).keySet());
            }
        }
        super.precheck(repository, backup, snapshot);
    }

    @Override
    protected String kind() {
        return KIND;
    }

    @Override
    public Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception {
        Map<String, RepositoryRefs> refs;
        Manifest.ComponentSnapshot files;
        for (int attempt = 1; ; attempt++) {
            refs = new TreeMap<>();
            for (Path repo : findRepositories(folder())) {
                refs.put(folder().relativize(repo).toString(), readRefs(repo));
            }
            files = super.backup(repository, timestamp, parent);
            List<String> repacked = repackedDuringCopy(files.warnings());
            if (repacked.isEmpty()) {
                break;
            }
            if (attempt == COPY_ATTEMPTS) {
                throw new IOException("a repository was repacked (git gc or git repack) during each of " + COPY_ATTEMPTS
                        + " copies, so objects its refs reach could be missing: " + repacked.get(0) + "; back up again when no gc runs");
            }
            log.info("gitserver: a pack file moved during the copy ({}): copying again", repacked.get(0));
        }
        Map<String, Long> stats = new LinkedHashMap<>(files.stats());
        stats.put("repositories", (long) refs.size());
        stats.put("refs", refs.values().stream().mapToLong(r -> r.refs().size()).sum());
        Map<String, Object> details = new LinkedHashMap<>(files.details());
        details.put("repositories", refs);
        return new Manifest.ComponentSnapshot(files.kind(), files.tree(), stats, files.warnings(), details);
    }

    static final int COPY_ATTEMPTS = 3;

    /**
     * Pack files that vanished or changed while the folder was copied. Loose objects that vanish
     * are safe: git writes the pack that holds them before it deletes them, and the copy reaches
     * {@code objects/pack/} after the loose-object folders. But a pack replaced by a repack after
     * {@code objects/pack/} was listed takes its objects to a pack the copy never saw.
     */
    static List<String> repackedDuringCopy(List<String> warnings) {
        return warnings.stream().filter(w -> (w.startsWith("vanished during the backup: ") || w.startsWith("changed while being read"))
                && w.contains("objects/pack/")).toList();
    }

    @Override
    public RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        Map<String, Long> stats = new LinkedHashMap<>(super.restore(repository, backup, snapshot).stats());
        Map<String, RepositoryRefs> recorded = covered(snapshot);
        long reset = 0;
        for (Map.Entry<String, RepositoryRefs> e : recorded.entrySet()) {
            Path repo = folder().resolve(e.getKey()).normalize();
            // Only a repository that received pushes during the backup needs its refs set back; the others are exact copies.
            if (!readRefs(repo).equals(e.getValue())) {
                resetRefs(repo, e.getValue());
                reset++;
            }
        }
        stats.put("refsReset", reset);
        stats.put("repositories", (long) recorded.size());
        return RestoreOutcome.of(stats);
    }

    @Override
    public List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        List<CheckResult> out = new ArrayList<>();
        Map<String, RepositoryRefs> recorded = covered(snapshot);
        List<String> fsck = new ArrayList<>();
        if (selection() == null) {
            fsck.addAll(fsck(folder()));
        } else {
            for (String repo : recorded.keySet()) {
                fsck.addAll(fsck(folder().resolve(repo)).stream().map(p -> repo + ": " + p).toList());
            }
        }
        out.add(new CheckResult(name() + ": every repository passes git fsck --full", fsck.isEmpty(),
                fsck.isEmpty() ? recorded.size() + " repositories" : String.join("; ", fsck)));
        List<String> refProblems = new ArrayList<>();
        for (Map.Entry<String, RepositoryRefs> e : recorded.entrySet()) {
            RepositoryRefs now = readRefs(folder().resolve(e.getKey()).normalize());
            if (!now.refs().equals(e.getValue().refs())) {
                refProblems.add(e.getKey());
            }
        }
        out.add(new CheckResult(name() + ": refs are those of the backup", refProblems.isEmpty(),
                refProblems.isEmpty() ? recorded.values().stream().mapToInt(r -> r.refs().size()).sum() + " refs" : "differ in " + refProblems));
        return out;
    }

    public static Map<String, RepositoryRefs> repositories(Manifest.ComponentSnapshot snapshot) {
        Object r = snapshot.details().get("repositories");
        return r == null ? Map.of() : Json.MAPPER.convertValue(r, Json.MAPPER.getTypeFactory().constructMapType(TreeMap.class, String.class, RepositoryRefs.class));
    }

    /** Bare repositories (a HEAD file beside objects/ and refs/) anywhere under the folder; not descended into. */
    public static List<Path> findRepositories(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        find(root, out, 0);
        return out;
    }

    private static void find(Path dir, List<Path> out, int depth) throws IOException {
        if (Files.isRegularFile(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects")) && Files.isDirectory(dir.resolve("refs"))) {
            out.add(dir);
            return;
        }
        if (depth > 6) {
            return;
        }
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path c : children) {
            find(c, out, depth + 1);
        }
    }

    static RepositoryRefs readRefs(Path repo) throws IOException, InterruptedException {
        String head = Files.readString(repo.resolve("HEAD")).strip();
        ExternalCommand.Result r = ExternalCommand.of("git", "--git-dir=" + repo, "for-each-ref", "--format=%(objectname) %(refname)").check();
        Map<String, String> refs = new TreeMap<>();
        r.stdout().lines().filter(l -> !l.isBlank()).forEach(l -> {
            int sp = l.indexOf(' ');
            refs.put(l.substring(sp + 1), l.substring(0, sp));
        });
        return new RepositoryRefs(head, refs);
    }

    /** Makes the repository's refs exactly the recorded ones: loose refs go, packed-refs lists them all. */
    static void resetRefs(Path repo, RepositoryRefs recorded) throws IOException {
        Path refsDir = repo.resolve("refs");
        if (Files.isDirectory(refsDir)) {
            try (Stream<Path> s = Files.walk(refsDir)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(refsDir.resolve("heads"));
        Files.createDirectories(refsDir.resolve("tags"));
        StringBuilder packed = new StringBuilder("# pack-refs with: sorted\n");
        recorded.refs().forEach((name, id) -> packed.append(id).append(' ').append(name).append('\n'));
        Files.writeString(repo.resolve("packed-refs"), packed.toString(), StandardCharsets.UTF_8);
        Files.writeString(repo.resolve("HEAD"), recorded.head() + "\n", StandardCharsets.UTF_8);
    }

    /** {@code git fsck --full} of every repository; the failures, each naming its repository. */
    public static List<String> fsck(Path root) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (Path repo : findRepositories(root)) {
            ExternalCommand.Result r = ExternalCommand.of("git", "--git-dir=" + repo, "fsck", "--full", "--no-progress").run();
            if (!r.ok()) {
                problems.add(root.relativize(repo) + ": git fsck failed: " + ExternalCommand.lastLines(r.stderr() + r.stdout(), 3));
            }
        }
        return problems;
    }
}
