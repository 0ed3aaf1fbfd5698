/**
 * Folder trees in the repository: walking a volume into tree blobs and back, restoring a tree exactly
 * (ownership, modes, times, links, hard links) without ever leaving the target, and checking a restored tree
 * against its backup.
 *
 * <p>Uses repository, storage and concurrent. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.volume;
