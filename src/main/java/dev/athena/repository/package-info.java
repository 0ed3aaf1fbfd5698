/**
 * The deduplicating, encrypted repository of docs/repository-format.md: blobs cut by a content-defined
 * chunker, compressed, sealed and packed; indexes; manifests; the lock, the claim-and-list protocol, the
 * leader's lease; verification and pruning of packs.
 *
 * <p>Uses storage and concurrent only. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.repository;
