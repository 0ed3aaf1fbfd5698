package dev.athena.component;

import dev.athena.repository.Manifest;
import dev.athena.repository.Repository;

/**
 * One part of the platform (PostgreSQL, a volume, the ConfigMap) behind the operations the
 * orchestration needs, so that backup and restore stay the same whatever the platform holds.
 */
public interface Component {

    /** The name in manifests and requests: postgres, metagraph, gitserver, config. */
    String name();

    /** True for the environment configuration: the only part an {@code onlyConfig} backup holds. */
    default boolean isConfig() {
        return false;
    }

    /** Backs up into the repository; {@code parent} is this component in the previous backup, or null. */
    Manifest.ComponentSnapshot backup(Repository repository, String timestamp, Manifest.ComponentSnapshot parent) throws Exception;

    /** Checks, without writing anything, that {@code snapshot} can be restored here; throws naming what is wrong. */
    void precheck(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception;

    /**
     * After a restore: checks that this cluster now holds what the backup holds (files and their
     * hashes, row counts, refs, keys). Read-only.
     */
    default java.util.List<CheckResult> verifyRestored(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception {
        return java.util.List.of();
    }

    /** Called when retention deletes a backup: releases what the component keeps outside the repository (an RDS snapshot). */
    default void forget(Manifest.ComponentSnapshot snapshot) throws Exception {
    }

    /**
     * The same component restricted to some of its items, for an item-level restore: a volume's files
     * or folders, the gitserver's repositories, the ConfigMap's keys, PostgreSQL's databases. Its
     * precheck fails naming an item the backup lacks; its restore changes those items only.
     */
    default Component only(java.util.List<String> items) {
        throw new IllegalArgumentException("component " + name() + " cannot restore single items; restore it whole");
    }

    /**
     * The same kind of component aimed at scratch targets, for a restore drill that must never touch
     * the platform: files under {@code scratch} (a folder of its own per component), databases under
     * names that start with {@code databasePrefix}. Null when this component cannot be drilled here
     * (an RDS instance: a drill would make a new one, at a cost).
     */
    default Component forDrill(java.nio.file.Path scratch, String databasePrefix) {
        return null;
    }

    /** The target of {@link #atMoment} that means "as late as the component's log reaches" (targetTime "latest"). */
    java.time.Instant LATEST = java.time.Instant.MAX;

    /**
     * The same component restored as it was at {@code target} (null: at the end of the backup's
     * capture), for a point-in-time restore: PostgreSQL replays its archived WAL up to that moment.
     * A component without a log of changes (a volume, the config) restores its capture in the
     * backup, which the restore chose as the newest at or before the target.
     */
    default Component atMoment(java.time.Instant target) {
        return this;
    }

    /** Where a restore of this component writes, in words, for records and reports: a folder, databases, an instance. */
    default String destination() {
        return "this cluster's " + name();
    }

    /** Removes what drills left behind outside their scratch folder (databases named {@code databasePrefix}...); after a kill too. */
    default void removeDrillLeftovers(String databasePrefix) throws Exception {
    }

    /**
     * Restores {@code snapshot} over this cluster's component and returns what was done. Called
     * only after {@link #precheck} passed for every component of the restore.
     */
    RestoreOutcome restore(Repository repository, String backup, Manifest.ComponentSnapshot snapshot) throws Exception;
}
