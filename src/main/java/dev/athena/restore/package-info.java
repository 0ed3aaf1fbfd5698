/**
 * Restoring a backup: the disaster-recovery workflow's phases (validate, pre-restore checks, upgrade, restore
 * waves, post-restore checks) behind a listener, and the parts it runs: health checks, the platform upgrade,
 * the Jenkins test run, the download cache for remote repositories.
 *
 * <p>Uses component and the layers below it; keeps no records (the service does). The layers are checked by
 * {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.restore;
