/**
 * Keeping a repository healthy: verifying backups (packs or every blob) and pruning what no backup
 * references.
 *
 * <p>Uses component and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.maintenance;
