/**
 * When backups run and which ones expire: the cron schedule and the retention policy, as pure functions of
 * time.
 *
 * <p>Uses backup (for timestamps) and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.schedule;
