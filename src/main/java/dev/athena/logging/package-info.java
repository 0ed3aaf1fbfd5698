/**
 * Logging set up in code: one line per event on standard error, in UTC.
 *
 * <p>Uses no other Athena package. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.logging;
