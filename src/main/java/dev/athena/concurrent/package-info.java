/**
 * Running independent tasks side by side with bounded threads, collecting every outcome.
 *
 * <p>Uses no other Athena package. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.concurrent;
