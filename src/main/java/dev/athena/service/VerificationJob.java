package dev.athena.service;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.athena.concurrent.ProgressMeter;
import dev.athena.maintenance.RollingVerification;
import dev.athena.repository.Repository;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Continuous verification as the service runs it (VERIFY_FREQUENCY): a {@link RollingVerification}
 * run, then every backup that needs damaged data is recorded Failed and {@code damaged}, naming
 * what is damaged, and the damage is logged, counted and announced. Never silent, never fatal to
 * anything else.
 */
final class VerificationJob {
    private static final Logger log = LoggerFactory.getLogger(VerificationJob.class);
    private final Supplier<Repository> repositories;
    private final JobRecords records;
    private final int percent;
    private final Clock clock;
    private final Metrics metrics;
    private final Notifier notifier;
    private final String namespace;
    private final java.util.function.BooleanSupplier yield;
    private volatile Status status;
    private volatile Repository running;

    /** GET /verifystatus: the cycle's place, and what the last run since the start found. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(String when, int readDataPercent, RollingVerification.State cycle, String lastStartedAt, String lastFinishedAt,
                  String lastResult, String summary, RollingVerification.Result lastRun, String error) {
    }

    VerificationJob(Supplier<Repository> repositories, JobRecords records, String frequency, int percent, Clock clock, Metrics metrics,
                    Notifier notifier, String namespace, java.util.function.BooleanSupplier yield) {
        this.yield = yield;
        this.repositories = repositories;
        this.records = records;
        this.percent = percent;
        this.clock = clock;
        this.metrics = metrics;
        this.notifier = notifier;
        this.namespace = namespace;
        this.status = new Status("on " + frequency, percent, null, null, null, null, null, null, null);
    }

    Status status() {
        Status s = status;
        if (s.cycle() == null) {
            try {
                s = new Status(s.when(), s.readDataPercent(), new RollingVerification(repositories.get(), percent, clock).loadState(), null, null,
                        null, null, null, null);
                status = s;
            } catch (RuntimeException e) {
                // no repository yet: nothing verified
            }
        }
        return s;
    }

    ProgressMeter meter() {
        Repository r = running;
        return r == null ? null : r.progress();
    }

    void run() {
        String started = clock.instant().toString();
        Status before = status;
        status = new Status(before.when(), percent, before.cycle(), started, null, "Running", null, null, null);
        RollingVerification.Result result;
        try {
            Repository repository = repositories.get();
            running = repository;
            try {
                result = new RollingVerification(repository, percent, clock).stopWhen(yield).run();
            } finally {
                running = null;
                repository.close();
            }
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            status = new Status(before.when(), percent, before.cycle(), started, clock.instant().toString(), "Failed", null, null, error);
            notifier.notify(new Notifier.Event("verification", "Failed", namespace, null, null, error, null, "/athena/api/v1/verifystatus"));
            log.error("verification could not run: {}", error);
            return;
        }
        for (Map.Entry<String, String> damaged : result.affected().entrySet()) {
            records.find(damaged.getKey()).filter(r -> !Boolean.TRUE.equals(r.damaged())).ifPresent(r -> {
                records.save(r.damagedBy(damaged.getValue() + " (found by the verification of " + started + ")"));
                log.error("verification: backup {} is damaged and cannot be wholly restored: {}", damaged.getKey(), damaged.getValue());
            });
        }
        String summary = RollingVerification.describe(result);
        status = new Status(before.when(), percent, result.state(), started, clock.instant().toString(), result.clean() ? "Success" : "Failed",
                summary, result, null);
        metrics.verified(clock.instant().getEpochSecond(), result);
        if (result.clean()) {
            log.info("{}", summary);
            notifier.notify(new Notifier.Event("verification", "Success", namespace, null, null, null, null, "/athena/api/v1/verifystatus"));
        } else {
            log.error("{}", summary);
            notifier.notify(new Notifier.Event("verification", "Failed", namespace, null, null, summary, null, "/athena/api/v1/verifystatus"));
        }
    }
}
