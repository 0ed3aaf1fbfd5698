package dev.athena.service;

import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.concurrent.Sizes;
import dev.athena.config.BackupUrls;
import dev.athena.config.CopySettings;
import dev.athena.maintenance.CopyCommand;
import dev.athena.repository.Repository;
import dev.athena.schedule.RetentionPolicy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the second location (COPY_TO) in step: copies the namespace's backups it lacks, then lets
 * go of those its own retention period has passed. It runs in the job slot after a backup's end is
 * recorded, or on COPY_FREQUENCY, and stops between blobs when a backup or restore is asked for
 * ({@code yield}), to carry on at its next run: a long first copy never holds up a restore.
 * A failure is logged, counted and shown in GET /schedule; it never changes a backup's record.
 */
final class CopyJob {
    private static final Logger log = LoggerFactory.getLogger(CopyJob.class);
    private final CopySettings settings;
    private final Supplier<Repository> source;
    private final String namespace;
    private final Repository.Options options;
    private final Clock clock;
    private final Metrics metrics;
    private final BooleanSupplier yield;
    private final Notifier notifier;
    private volatile CopyStatus status;
    private volatile Repository running;

    CopyJob(CopySettings settings, Supplier<Repository> source, String namespace, Repository.Options options, Clock clock, Metrics metrics,
            BooleanSupplier yield, Notifier notifier) {
        this.notifier = notifier;
        this.settings = settings;
        this.source = source;
        this.namespace = namespace;
        this.options = options;
        this.clock = clock;
        this.metrics = metrics;
        this.yield = yield;
        this.status = CopyStatus.idle(settings.storage().toString(), settings.when(), settings.retentionDays());
    }

    CopyStatus status() {
        return status;
    }

    /** How far the running copy has got; null while none runs. */
    ProgressMeter meter() {
        Repository r = running;
        return r == null ? null : r.progress();
    }

    /** The second location's repository, made there on the first copy. */
    Repository destination(boolean create) {
        return Repository.open(settings.storage().open(), namespace, settings.encryptionKey(), create, options);
    }

    /** One run; never throws, so the job slot is always given back. */
    void run() {
        status = status.started(clock.instant().toString());
        log.info("copy to {} started", settings.storage());
        CopyCommand.Result result;
        try {
            Repository destination = destination(true);
            running = destination;
            try {
                Repository from = source.get();
                result = new CopyCommand(from, destination).timestamps(worthCopying(from.timestamps())).stopWhen(yield).call();
            } finally {
                running = null;
            }
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            status = status.ended(clock.instant().toString(), "Failed", error, 0, 0, 0, null, null);
            metrics.copyFinished("Failed", clock.instant().getEpochSecond());
            notifier.notify(new Notifier.Event("copy", "Failed", namespace, null, null, error, null, "/athena/api/v1/schedule"));
            log.error("copy to {} Failed: {}", settings.storage(), error);
            return;
        }
        int copied = (int) result.backups().stream().filter(c -> !c.alreadyThere() && !c.failed()).count();
        int failed = result.failures().size();
        Integer forgotten = null;
        String error = failed == 0 ? null : Sizes.count(failed, "backup") + " could not be copied, the first " + result.failures().get(0).timestamp()
                + ": " + result.failures().get(0).error();
        if (!result.stopped()) {
            try {
                forgotten = forgetExpired();
            } catch (RuntimeException e) {
                error = (error == null ? "" : error + "; ") + "retention at the second location failed: " + e.getMessage();
            }
        }
        Integer there = null;
        try {
            there = destination(false).timestamps().size();
        } catch (RuntimeException e) {
            // shown as unknown
        }
        String outcome = result.stopped() ? "Paused" : error == null ? "Success" : "Failed";
        status = status.ended(clock.instant().toString(), outcome, error, copied, result.bytesCopied(), failed, there, forgotten);
        metrics.copyFinished(outcome, clock.instant().getEpochSecond());
        if (!outcome.equals("Paused")) {
            notifier.notify(new Notifier.Event("copy", outcome, namespace, null, null, error, null, "/athena/api/v1/schedule"));
        }
        if (error == null) {
            log.info("copy to {} {}: {} copied ({} sent), {} there{}", settings.storage(), outcome, Sizes.count(copied, "backup"),
                    Sizes.bytes(result.bytesCopied()), there,
                    result.stopped() ? "; it let a waiting job go first and carries on at its next run" : "");
        } else {
            log.error("copy to {} {}: {}", settings.storage(), outcome, error);
        }
    }

    /** Backups the second location's retention would keep: one it would delete again at once is not sent. */
    private List<String> worthCopying(List<String> all) {
        List<String> expired = new RetentionPolicy(settings.retentionDays())
                .expired(all.stream().map(ts -> new RetentionPolicy.Kept(ts, true, true)).toList(), clock.instant());
        return all.stream().filter(ts -> !expired.contains(ts)).toList();
    }

    /** The second location's retention: its own backups older than COPY_RETENTION_PERIOD go, and the data only they used. */
    private int forgetExpired() {
        Repository destination = destination(false);
        // No components: what a backup keeps outside the repository (an RDS snapshot) belongs to the first location's copy of it.
        RetentionSweep sweep = new RetentionSweep(new JobRecords(destination, new BackupUrls(settings.storage())), () -> destination,
                new RetentionPolicy(settings.retentionDays()), clock, List.of());
        return sweep.run().deleted().size();
    }
}
