package dev.athena.restore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import dev.athena.component.CheckResult;
import dev.athena.component.Component;
import dev.athena.component.ExternalCommand;
import dev.athena.component.RestoreOutcome;
import dev.athena.concurrent.Parallel;
import dev.athena.concurrent.ProgressMeter;
import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore of a backup into this cluster, phase by phase: validate, pre-restore checks, upgrade,
 * restore (the data side by side, then the configuration), post-restore checks. Nothing in the
 * destination is written before every pre-restore check passed. Each change of its progress is
 * told to a {@link Listener}: the service keeps its record with it, the CLI prints it. Keeping
 * records, locking out other jobs and writing reports are the caller's business.
 */
public final class DisasterRecovery {
    private static final Logger log = LoggerFactory.getLogger(DisasterRecovery.class);

    public static final String VALIDATE = "validate";
    /** The check that records the manifest's hash; the report lifts the hash out of it. */
    public static final String MANIFEST_CHECK = "backup manifest read";
    public static final String PRE_RESTORE_CHECKS = "pre-restore checks";
    public static final String UPGRADE = "upgrade";
    public static final String RESTORE = "restore";
    public static final String POST_RESTORE_CHECKS = "post-restore checks";

    /**
     * What this restore does besides the data. {@code skipped}: components of the backup left as they
     * are; {@code requireAll}: every given component must be in the backup (the CLI's --volume),
     * rather than restoring those the backup has.
     */
    public record Options(boolean dryRun, boolean upgrade, boolean allowDowngrade, boolean healthBefore, boolean checksAfter,
                          boolean jenkinsTestRun, Set<String> skipped, boolean requireAll, Map<String, List<String>> items, Instant targetTime) {
        public Options {
            items = items == null ? Map.of() : Map.copyOf(items);
        }

        /** Without a target time: each component as its backup captured it. */
        public Options(boolean dryRun, boolean upgrade, boolean allowDowngrade, boolean healthBefore, boolean checksAfter,
                       boolean jenkinsTestRun, Set<String> skipped, boolean requireAll, Map<String, List<String>> items) {
            this(dryRun, upgrade, allowDowngrade, healthBefore, checksAfter, jenkinsTestRun, skipped, requireAll, items, null);
        }

        /** The same, recovering each component to {@code target} (PostgreSQL replays its archived WAL; see Component#atMoment). */
        public Options atMoment(Instant target) {
            return new Options(dryRun, upgrade, allowDowngrade, healthBefore, checksAfter, jenkinsTestRun, skipped, requireAll, items, target);
        }

        /** The data only, checked before it is written: what {@code athena restore} does. */
        public static final Options DATA_ONLY = new Options(false, false, false, true, false, false, Set.of(), true, Map.of());
        /** The same checks, then only the plan: nothing is written. */
        public static final Options DATA_ONLY_DRY_RUN = new Options(true, false, false, true, false, false, Set.of(), true, Map.of());

        /** The same, taking only {@code items} of the components named (an item-level restore). */
        public Options withItems(Map<String, List<String>> chosen) {
            return new Options(dryRun, upgrade, allowDowngrade, healthBefore, checksAfter, jenkinsTestRun, skipped, requireAll, chosen, targetTime);
        }
    }

    /** A phase that ended; {@code detail} says what it did, or why it failed or was skipped. */
    public record Phase(String name, boolean succeeded, Instant startedAt, Instant finishedAt, String detail) {
        public long durationMs() {
            return Duration.between(startedAt, finishedAt).toMillis();
        }
    }

    /** One named check: which phase ran it, whether it passed, and what it found. */
    public record Check(String phase, String name, boolean passed, String detail) {
    }

    /** How one component of the backup ended: restored (with its figures), failed, or skipped (with why). */
    public record ComponentResult(boolean succeeded, Map<String, Long> stats, String error) {
    }

    /** Everything known so far; each call to the listener gets a new, unchanging copy. */
    public record Progress(List<Phase> phases, List<Check> checks, Map<String, ComponentResult> components, List<String> warnings,
                           List<String> plan, String versionAfter, String upgradeOutput, String postRestoreOutput, String jenkinsBuild,
                           Map<String, Manifest.Window> backupWindows, Map<String, RestoreOutcome> restored) {
    }

    /** How the restore ended: its progress, and the first failure, or null. */
    public record Outcome(Progress progress, String error, Exception failure) {
        public boolean succeeded() {
            return error == null;
        }
    }

    /** Told of every change, on the thread that made it, one call at a time. */
    public interface Listener {
        default void phaseStarted(String phase) {
        }

        default void phaseEnded(Phase phase) {
        }

        default void checked(Check check) {
        }

        /** After any change: the phases, checks and outcomes so far. */
        default void progressed(Progress progress) {
        }
    }

    private final Supplier<Repository> source;
    private final String timestamp;
    private final List<Component> components;
    private Options options = Options.DATA_ONLY;
    private RecoverySettings settings = RecoverySettings.NONE;
    private String backupVersion;
    private String versionBefore;
    private int componentThreads = RestoreCommand.DEFAULT_COMPONENT_THREADS;
    private Clock clock = Clock.systemUTC();
    private String restoreId;
    /** What POST_RESTORE_COMMAND (or a drill's DRILL_COMMAND) gets in its environment besides ATHENA_BACKUP. */
    private Map<String, String> commandEnvironment = Map.of();
    /** The variable that set that command, naming its check. */
    private String commandVariable = "POST_RESTORE_COMMAND";
    private Listener listener = new Listener() { };
    private String backupUrl;
    private final List<CheckResult> preconditions = new ArrayList<>();

    private final List<Phase> phases = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final Map<String, ComponentResult> results = new LinkedHashMap<>();
    private final Map<String, RestoreOutcome> restored = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> plan = new ArrayList<>();
    private String versionAfter;
    private String upgradeOutput;
    private String postRestoreOutput;
    private String jenkinsBuild;
    private Map<String, Manifest.Window> backupWindows;
    /** The first exception behind a failed phase, handed back so a library caller can rethrow it as it was. */
    private Exception firstFailure;

    // What the phases find and the later ones use.
    /** Set by the first phase; read by other threads through {@link #meter()}. */
    private volatile Repository repository;
    private Manifest manifest;
    private final List<Component> selected = new ArrayList<>();
    private PlatformUpgrade.Plan upgradePlan;
    private boolean ran;

    /** Restores backup {@code timestamp} of the repository {@code source} opens into {@code components} (the destination's). */
    public DisasterRecovery(Supplier<Repository> source, String timestamp, List<Component> components) {
        this.source = source;
        this.timestamp = timestamp;
        this.components = List.copyOf(components);
    }

    public DisasterRecovery options(Options options) {
        this.options = options;
        return this;
    }

    public DisasterRecovery settings(RecoverySettings settings) {
        this.settings = settings;
        return this;
    }

    /** The platform version the backup was taken at and the destination's now; either may be null (unknown). */
    public DisasterRecovery versions(String backupVersion, String versionBefore) {
        this.backupVersion = backupVersion;
        this.versionBefore = versionBefore;
        return this;
    }

    /** Components restored or checked at once; 1: one after another, in order. */
    public DisasterRecovery componentThreads(int threads) {
        this.componentThreads = threads;
        return this;
    }

    public DisasterRecovery clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * Names this restore to the Jenkins run and the logs, and tells the command run after it where
     * the data went ({@code commandEnvironment}: ATHENA_NAMESPACE for a restore, the scratch targets
     * for a drill).
     */
    public DisasterRecovery identity(String restoreId, String commandVariable, Map<String, String> commandEnvironment) {
        this.restoreId = restoreId;
        this.commandVariable = commandVariable;
        this.commandEnvironment = Map.copyOf(commandEnvironment);
        return this;
    }

    /** How the backup is named in the validate phase's check; by default, where its folder is. */
    public DisasterRecovery backupUrl(String backupUrl) {
        this.backupUrl = backupUrl;
        return this;
    }

    /** A check the caller made already (e.g. that no other job runs), recorded first among the pre-restore checks. */
    public DisasterRecovery precondition(CheckResult check) {
        preconditions.add(check);
        return this;
    }

    public DisasterRecovery listener(Listener listener) {
        this.listener = listener;
        return this;
    }

    /** Runs every phase once; a failed phase ends the restore there and is named in the outcome's error. */
    public Outcome run() {
        if (ran) {
            throw new IllegalStateException("a DisasterRecovery runs once");
        }
        ran = true;
        versionAfter = versionBefore;
        HealthCheck health = new HealthCheck(settings.healthCheckUrls(), settings.healthTimeout(), Duration.ofSeconds(2));
        PlatformUpgrade upgrade = new PlatformUpgrade(settings.upgradeCommand(), settings.upgradeTimeout());
        String error = null;
        try {
            phase(VALIDATE, this::validate);
            try (RepositoryLock lock = RepositoryLock.sharedForReading(repository, "restore of " + timestamp)) {
                phase(PRE_RESTORE_CHECKS, () -> preRestoreChecks(upgrade, health));
                if (options.dryRun()) {
                    planDryRun();
                    skip(UPGRADE, "dry run");
                    skip(RESTORE, "dry run");
                    skip(POST_RESTORE_CHECKS, "dry run");
                } else {
                    runUpgrade(upgrade, health);
                    phase(RESTORE, this::restoreComponents);
                    postRestoreChecks(health);
                }
            }
        } catch (PhaseFailed e) {
            error = e.getMessage();
        } catch (RuntimeException e) {
            // The repository's lock could not be taken or let go: not a phase of its own.
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            firstFailure = firstFailure == null ? e : firstFailure;
        }
        return new Outcome(progress(), error, error == null ? null : firstFailure);
    }

    /** A phase failed: the restore stops there, naming it. */
    private static final class PhaseFailed extends RuntimeException {
        PhaseFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface Step {
        String run() throws Exception;
    }

    private void phase(String name, Step step) {
        Instant start = clock.instant();
        if (repository != null) {
            repository.progress().phase(name);
        }
        synchronized (this) {
            listener.phaseStarted(name);
            listener.progressed(progress());
        }
        try {
            String detail = step.run();
            ended(new Phase(name, true, start, clock.instant(), detail));
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            ended(new Phase(name, false, start, clock.instant(), why));
            if (firstFailure == null) {
                firstFailure = e;
            }
            throw new PhaseFailed(name + " failed: " + why, e);
        }
    }

    private synchronized void ended(Phase phase) {
        phases.add(phase);
        listener.phaseEnded(phase);
        listener.progressed(progress());
    }

    private void skip(String name, String why) {
        Instant now = clock.instant();
        ended(new Phase(name, true, now, now, "skipped: " + why));
    }

    private synchronized void check(String phase, CheckResult r) {
        Check c = new Check(phase, r.name(), r.passed(), r.detail());
        checks.add(c);
        listener.checked(c);
    }

    /** Fails the phase when one of its checks failed, naming them all; else says how many passed. */
    private synchronized String verdict(String phase, String whenFailed) {
        List<String> failed = checks.stream().filter(c -> c.phase().equals(phase) && !c.passed())
                .map(c -> c.name() + " (" + c.detail() + ")").toList();
        if (!failed.isEmpty()) {
            throw new IllegalStateException(String.join("; ", failed) + whenFailed);
        }
        return checks.stream().filter(c -> c.phase().equals(phase)).count() + " checks passed";
    }

    /** How far the work has got, once the backup's repository is open (after the first phase has begun); else null. */
    public ProgressMeter meter() {
        Repository r = repository;
        return r == null ? null : r.progress();
    }

    private synchronized Progress progress() {
        return new Progress(List.copyOf(phases), List.copyOf(checks), new LinkedHashMap<>(results), List.copyOf(warnings),
                List.copyOf(plan), versionAfter, upgradeOutput, postRestoreOutput, jenkinsBuild, backupWindows, new LinkedHashMap<>(restored));
    }

    private String validate() {
        repository = source.get();
        manifest = repository.readManifest(timestamp);
        // The manifest names every piece of the backup by its hash: its own hash, in the report, pins exactly which backup was restored.
        byte[] stored = repository.store().get(repository.layout().manifest(timestamp));
        check(VALIDATE, new CheckResult(MANIFEST_CHECK, true, "SHA-256 " + dev.athena.repository.BlobId.of(stored).hex() + " of the stored manifest ("
                + stored.length + " bytes), which names every piece of the backup by its own SHA-256"));
        backupWindows = manifest.windows();
        check(VALIDATE, new CheckResult("backup " + timestamp + " exists and is Success", true,
                backupUrl != null ? backupUrl : repository.store().locate(repository.layout().backupFolder(timestamp))));
        for (Component c : components) {
            if (!manifest.components().containsKey(c.name())) {
                if (options.requireAll()) {
                    throw new IllegalArgumentException("backup " + timestamp + " has no component '" + c.name() + "'; it holds "
                            + manifest.components().keySet());
                }
                continue;
            }
            if (options.skipped().contains(c.name())) {
                results.put(c.name(), new ComponentResult(true, null, "skipped: svcs." + c.name() + ".disable"));
            } else if (options.items().containsKey(c.name())) {
                // Some databases at a moment: recovered in a scratch server, only those loaded (the others' items: from the backup).
                Component items = c.only(options.items().get(c.name()));
                selected.add(options.targetTime() == null ? items : items.atMoment(options.targetTime()));
            } else {
                selected.add(options.targetTime() == null ? c : c.atMoment(options.targetTime()));
            }
        }
        for (String named : options.items().keySet()) {
            if (selected.stream().noneMatch(c -> c.name().equals(named))) {
                throw new IllegalArgumentException("items to restore are named for component " + named + ", which this restore does not restore"
                        + " (the backup holds " + manifest.components().keySet() + "; skipped: " + options.skipped() + ")");
            }
        }
        for (String held : manifest.components().keySet()) {
            if (components.stream().noneMatch(c -> c.name().equals(held)) && !options.requireAll()) {
                warnings.add("the backup holds " + held + ", which this restore does not cover (not configured here, or, in a drill, an RDS"
                        + " instance, which drills make only with DRILL_RDS=true since it costs money): not restored");
            }
        }
        return "backup holds " + manifest.components().keySet() + "; restoring " + selected.stream().map(Component::name).toList()
                + (options.items().isEmpty() ? "" : ", of them only " + options.items());
    }

    private String preRestoreChecks(PlatformUpgrade upgrade, HealthCheck health) throws InterruptedException {
        String what = ": data intact, destination reachable, writable and large enough";
        preconditions.forEach(c -> check(PRE_RESTORE_CHECKS, c));
        for (Component c : selected) {
            try {
                repository.startEvidence();
                repository.progress().componentStarted(c.name());
                try {
                    c.precheck(repository, timestamp, manifest.components().get(c.name()));
                } finally {
                    repository.progress().componentEnded(c.name());
                }
                Repository.Evidence read = repository.evidence();
                // Evidence with numbers, each pack counted once: how much was read back and hash-checked before anything was written.
                check(PRE_RESTORE_CHECKS, new CheckResult(c.name() + what, true,
                        read.packs() == 0 ? "no data of it in the repository to read (it is kept outside, e.g. an RDS snapshot)"
                                : (read.packs() == 1 ? "the 1 pack it needs (" : "all " + read.packs() + " packs it needs (")
                                + dev.athena.concurrent.Sizes.bytes(read.bytes()) + ", " + read.bytes() + " bytes) read back, "
                                + (read.packs() == 1 ? "its" : "each one's") + " SHA-256 matching its name"));
            } catch (Exception e) {
                if (firstFailure == null) {
                    firstFailure = e;
                }
                check(PRE_RESTORE_CHECKS, new CheckResult(c.name() + what, false, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        try {
            upgradePlan = options.upgrade() ? upgrade.plan(backupVersion, versionBefore, options.allowDowngrade()) : null;
            check(PRE_RESTORE_CHECKS, new CheckResult("platform versions compatible", true,
                    upgradePlan == null ? "upgrade disabled on request" : upgradePlan.reason()));
        } catch (RuntimeException e) {
            check(PRE_RESTORE_CHECKS, new CheckResult("platform versions compatible", false, e.getMessage()));
        }
        if (!options.healthBefore()) {
            check(PRE_RESTORE_CHECKS, new CheckResult("destination healthy", true, "skipped on request (disablePreRestoreChecks)"));
        } else if (health.configured()) {
            List<String> failing = health.awaitHealthy();
            check(PRE_RESTORE_CHECKS, new CheckResult("destination healthy (HEALTH_CHECK_URLS)", failing.isEmpty(),
                    failing.isEmpty() ? settings.healthCheckUrls().size() + " endpoints answered 2xx" : String.join("; ", failing)));
        }
        return verdict(PRE_RESTORE_CHECKS, "; nothing was written");
    }

    private void runUpgrade(PlatformUpgrade upgrade, HealthCheck health) {
        if (!options.upgrade()) {
            skip(UPGRADE, "disableUpgrade: the destination stays at version " + versionBefore);
            return;
        }
        if (!upgradePlan.needed()) {
            skip(UPGRADE, upgradePlan.reason());
            return;
        }
        phase(UPGRADE, () -> {
            String out = upgrade.run(upgradePlan);
            synchronized (this) {
                upgradeOutput = out;
                versionAfter = backupVersion;
            }
            if (health.configured()) {
                List<String> failing = health.awaitHealthy();
                check(UPGRADE, new CheckResult("destination healthy after the upgrade", failing.isEmpty(),
                        failing.isEmpty() ? "all endpoints answered 2xx" : String.join("; ", failing)));
                if (!failing.isEmpty()) {
                    throw new IllegalStateException("the destination is not healthy after the upgrade: " + String.join("; ", failing));
                }
            }
            return "upgraded " + upgradePlan.reason() + " with UPGRADE_COMMAND";
        });
    }

    /** The data components side by side, then the configuration ({@link RestoreWaves}); each one's outcome is told as it ends. */
    private String restoreComponents() throws Exception {
        long bytes = 0;
        long files = 0;
        for (Component c : selected) {
            Map<String, Long> stats = manifest.components().get(c.name()).stats();
            bytes += stats == null ? 0 : stats.getOrDefault("bytes", 0L);
            files += stats == null ? 0 : stats.getOrDefault("files", 0L);
        }
        // Exact totals: the backup says how much each component holds.
        repository.progress().phase(RESTORE, bytes, files > 0 ? files : -1, false);
        try {
            RestoreWaves.run(selected, componentThreads, c -> {
                Instant t0 = clock.instant();
                repository.progress().componentStarted(c.name());
                try {
                    RestoreOutcome outcome = c.restore(repository, timestamp, manifest.components().get(c.name()));
                    Map<String, Long> stats = new LinkedHashMap<>(outcome.stats());
                    stats.put("durationMs", Duration.between(t0, clock.instant()).toMillis());
                    log.info("restore {} component {}: {}", restoreId != null ? restoreId : "of " + timestamp, c.name(), stats);
                    synchronized (this) {
                        outcome.notes().forEach(n -> warnings.add(c.name() + ": " + n));
                        results.put(c.name(), new ComponentResult(true, stats, null));
                        restored.put(c.name(), outcome);
                        listener.progressed(progress());
                    }
                } catch (Exception e) {
                    synchronized (this) {
                        results.put(c.name(), new ComponentResult(false, null, e.getMessage()));
                    }
                    throw e;
                } finally {
                    repository.progress().componentEnded(c.name());
                }
            }, (later, failed) -> {
                synchronized (this) {
                    results.put(later.name(), new ComponentResult(false, null, "not restored: " + failed.name() + " failed first"));
                }
            });
        } finally {
            // Outcomes arrive in the order components end; the record lists them in restore order.
            synchronized (this) {
                Map<String, ComponentResult> ordered = new LinkedHashMap<>();
                for (Component c : selected) {
                    ComponentResult r = results.remove(c.name());
                    if (r != null) {
                        ordered.put(c.name(), r);
                    }
                }
                results.putAll(ordered);
            }
        }
        return "restored " + selected.stream().map(Component::name).toList();
    }

    private void postRestoreChecks(HealthCheck health) {
        if (!options.checksAfter() && !options.jenkinsTestRun()) {
            skip(POST_RESTORE_CHECKS, "disablePostRestoreChecks");
            return;
        }
        phase(POST_RESTORE_CHECKS, () -> {
            if (options.checksAfter()) {
                verifyRestored();
                if (health.configured()) {
                    List<String> failing = health.awaitHealthy();
                    check(POST_RESTORE_CHECKS, new CheckResult("platform healthy (HEALTH_CHECK_URLS)", failing.isEmpty(),
                            failing.isEmpty() ? settings.healthCheckUrls().size() + " endpoints answered 2xx" : String.join("; ", failing)));
                }
                if (settings.postRestoreCommand().isPresent()) {
                    runTestSuite(settings.postRestoreCommand().get());
                }
            } else {
                check(POST_RESTORE_CHECKS, new CheckResult("data and health checks", true, "skipped on request (disablePostRestoreChecks)"));
            }
            if (options.jenkinsTestRun()) {
                runJenkins(settings.jenkins());
            }
            return verdict(POST_RESTORE_CHECKS, "");
        });
    }

    /** Read-only and independent (row counts, file hashes, git fsck): side by side, recorded in restore order. */
    private void verifyRestored() throws InterruptedException {
        List<Callable<List<CheckResult>>> verifications = selected.stream()
                .<Callable<List<CheckResult>>>map(c -> () -> c.verifyRestored(repository, timestamp, manifest.components().get(c.name())))
                .toList();
        Parallel.Outcomes<List<CheckResult>> verified = Parallel.runAll("athena-verify-restored", componentThreads, verifications, false);
        for (int i = 0; i < selected.size(); i++) {
            Parallel.Outcome<List<CheckResult>> o = verified.each().get(i);
            if (o.failed()) {
                check(POST_RESTORE_CHECKS, new CheckResult(selected.get(i).name() + ": restored data matches the backup", false,
                        o.failure().getMessage()));
            } else {
                o.value().forEach(r -> check(POST_RESTORE_CHECKS, r));
            }
        }
    }

    private void runTestSuite(String command) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(commandEnvironment);
        env.put("ATHENA_BACKUP", timestamp);
        ExternalCommand.Result r = new ExternalCommand(List.of("/bin/sh", "-c", command), env)
                .timeout(settings.postRestoreTimeout()).run();
        String out = (r.stdout() + r.stderr()).strip();
        synchronized (this) {
            postRestoreOutput = out.length() > 4000 ? out.substring(out.length() - 4000) : out;
        }
        check(POST_RESTORE_CHECKS, new CheckResult(commandVariable + " test suite", r.ok(), "exit " + r.exitCode()));
    }

    private void runJenkins(Optional<JenkinsSettings> jenkins) {
        if (jenkins.isEmpty()) {
            check(POST_RESTORE_CHECKS, new CheckResult("Jenkins test run", false, "enableJenkinsTestRun is set but JENKINS_URL and JENKINS_JOB are not"));
            return;
        }
        try {
            JenkinsRun.Build build = new JenkinsRun(jenkins.get(), Duration.ofSeconds(2)).run(restoreId != null ? restoreId : timestamp);
            synchronized (this) {
                jenkinsBuild = build.url() + " " + build.result();
            }
            check(POST_RESTORE_CHECKS, new CheckResult("Jenkins test run", build.passed(), build.url() + " ended " + build.result()));
        } catch (Exception e) {
            check(POST_RESTORE_CHECKS, new CheckResult("Jenkins test run", false, e.getMessage()));
        }
    }

    private synchronized void planDryRun() {
        if (!options.upgrade()) {
            plan.add("no upgrade (disableUpgrade); the destination stays at " + versionBefore);
        } else if (upgradePlan.needed()) {
            plan.add("upgrade the platform " + upgradePlan.reason() + " by running: " + upgradePlan.command());
        } else {
            plan.add("no upgrade: " + upgradePlan.reason());
        }
        for (Component c : selected) {
            Manifest.ComponentSnapshot s = manifest.components().get(c.name());
            plan.add("restore " + c.name() + " (" + s.kind() + ", " + s.stats().getOrDefault("bytes", 0L) + " bytes)"
                    + (options.targetTime() == null ? "" : options.targetTime().equals(Component.LATEST) ? " to the end of the archived WAL"
                    : " as it was at " + options.targetTime()) + " into " + c.destination());
        }
        results.forEach((name, o) -> plan.add("leave " + name + " untouched (" + o.error() + ")"));
        plan.add(options.checksAfter() ? "check the restored data and the platform's health" : "skip the post-restore checks");
    }
}
