package dev.athena.backup;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.athena.component.Component;
import dev.athena.component.VolumeComponent;
import dev.athena.concurrent.Parallel;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consistent backup of several components under one timestamp and one manifest. Data is
 * flushed before the manifest is written, and the manifest is written last, so a backup that
 * fails or is killed midway does not exist. If any component fails, the backup fails.
 */
public final class BackupCommand {
    private static final Logger log = LoggerFactory.getLogger(BackupCommand.class);
    private final Repository repository;
    private final List<Component> components = new ArrayList<>();
    private String timestamp;
    private boolean claimed;
    private String platformVersion;
    private Clock clock = Clock.systemUTC();
    /** All of the platform's components at once, unless the caller says otherwise. */
    public static final int DEFAULT_COMPONENT_THREADS = 8;
    private int componentThreads = DEFAULT_COMPONENT_THREADS;

    public BackupCommand(Repository repository) {
        this.repository = repository;
    }

    /** Adds a component; two with one name would be one entry of the manifest, so the second is refused. */
    public BackupCommand component(Component component) {
        if (components.stream().anyMatch(c -> c.name().equals(component.name()))) {
            throw new IllegalArgumentException("component '" + component.name() + "' is given twice; each needs its own name");
        }
        components.add(component);
        return this;
    }

    public BackupCommand volume(String name, java.nio.file.Path folder) {
        return component(new VolumeComponent(name, folder));
    }

    /** Names the backup; the name is claimed when the backup starts, and refused if it is taken. */
    public BackupCommand timestamp(String timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /** Names the backup with a timestamp the caller has claimed already ({@link BackupNames}). */
    public BackupCommand claimedTimestamp(String timestamp) {
        this.timestamp = timestamp;
        this.claimed = true;
        return this;
    }

    public BackupCommand platformVersion(String version) {
        this.platformVersion = version;
        return this;
    }

    public BackupCommand componentThreads(int threads) {
        this.componentThreads = threads;
        return this;
    }

    public BackupCommand clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public Manifest call() {
        String ts = claimName();
        Instant started = clock.instant();
        try (RepositoryLock lock = RepositoryLock.shared(repository, "backup " + ts)) {
            if (repository.store().exists(repository.layout().manifest(ts))) {
                throw new BackupException("backup " + ts + " already exists in namespace " + repository.namespace(), null);
            }
            Manifest parent = latest();
            // The parent may be another writer's, made after this repository was opened: its index came before its manifest.
            repository.reloadIndex();
            expectAsBefore(parent);
            List<Captured> captured = captureAll(ts, parent);
            repository.progress().phase(FINISHING);
            Map<String, Manifest.ComponentSnapshot> snapshots = new LinkedHashMap<>();
            Map<String, Manifest.Window> windows = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            for (int i = 0; i < components.size(); i++) {
                Component c = components.get(i);
                Captured one = captured.get(i);
                snapshots.put(c.name(), one.snapshot());
                windows.put(c.name(), one.window());
                one.snapshot().warnings().forEach(w -> warnings.add(c.name() + ": " + w));
            }
            repository.flush();
            Manifest manifest = new Manifest(Manifest.VERSION, repository.namespace(), ts, started.toString(), clock.instant().toString(),
                    RepositoryLock.hostname(), platformVersion, snapshots, warnings, windows);
            repository.writeManifest(manifest);
            return manifest;
        }
    }

    /** The phase while the components are read and stored, as the job's progress names it. */
    public static final String BACKING_UP = "backing up";
    /** The phase while the last packs, the index and the manifest are written. */
    public static final String FINISHING = "writing the index and manifest";

    /**
     * Starts the progress with what the previous backup of these components held as the expected
     * total: a volume rarely changes much between two backups, and a first backup shows bytes and
     * rate without a percentage.
     */
    private void expectAsBefore(Manifest parent) {
        long bytes = 0;
        long files = 0;
        boolean known = parent != null;
        for (Component c : components) {
            Manifest.ComponentSnapshot before = parent == null ? null : parent.components().get(c.name());
            if (before == null || before.stats() == null || !before.stats().containsKey("bytes")) {
                known = false;
                break;
            }
            bytes += before.stats().get("bytes");
            files += before.stats().getOrDefault("files", 0L);
        }
        repository.progress().phase(BACKING_UP, known ? bytes : -1, known && files > 0 ? files : -1, true);
    }

    private String claimName() {
        if (timestamp == null) {
            return BackupNames.claimFrom(repository, clock.instant());
        }
        if (!claimed && !BackupNames.claim(repository, timestamp)) {
            throw new BackupException("backup " + timestamp + " already exists in namespace " + repository.namespace()
                    + ", or another writer is creating it: choose another timestamp", null);
        }
        return timestamp;
    }

    private record Captured(Manifest.ComponentSnapshot snapshot, Manifest.Window window) {
    }

    /**
     * Backs up every component, {@link Tuning#COMPONENT_THREADS} at a time, all at once by default: the
     * platform's parts are then captured at nearly the same moment (a sequential backup would take
     * the gitserver's refs only after the whole database dump), and the window is as long as the
     * longest part, not their sum. The first failure interrupts the others; this returns only when
     * every component has stopped, so nothing writes once the lock is released. In the
     * components' order.
     */
    private List<Captured> captureAll(String ts, Manifest parent) {
        List<Callable<Captured>> tasks = new ArrayList<>();
        for (Component c : components) {
            Manifest.ComponentSnapshot previous = parent == null ? null : parent.components().get(c.name());
            tasks.add(() -> capture(c, ts, previous));
        }
        Parallel.Outcomes<Captured> outcomes;
        try {
            outcomes = Parallel.runAll("athena-component", componentThreads, tasks, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while backing up", e);
        }
        if (outcomes.firstFailure() >= 0) {
            Throwable cause = outcomes.each().get(outcomes.firstFailure()).failure();
            String name = components.get(outcomes.firstFailure()).name();
            throw new BackupException("component " + name + ": " + describe(cause), cause);
        }
        return outcomes.each().stream().map(Parallel.Outcome::value).toList();
    }

    /** A failure as one line: the JDK's file errors alone say only the path ("/data/x"), so the reason is added. */
    static String describe(Throwable cause) {
        if (cause instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String why = cause instanceof java.nio.file.NoSuchFileException ? "no such file or folder (it vanished during the backup?)"
                    : cause instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : cause instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : cause.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + why;
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private Captured capture(Component c, String ts, Manifest.ComponentSnapshot previous) throws Exception {
        Instant from = clock.instant();
        repository.progress().componentStarted(c.name());
        Manifest.ComponentSnapshot snapshot;
        try {
            snapshot = c.backup(repository, ts, previous);
        } finally {
            repository.progress().componentEnded(c.name());
        }
        Instant to = clock.instant();
        log.info("backup {} component {}: {}", ts, c.name(), snapshot.stats());
        return new Captured(snapshot, new Manifest.Window(from.toString(), to.toString()));
    }

    private Manifest latest() {
        List<String> all = repository.timestamps();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return repository.readManifest(all.get(i));
            } catch (RuntimeException e) {
                log.warn("cannot read backup {} to find unchanged files: {}", all.get(i), e.getMessage());
            }
        }
        return null;
    }
}
