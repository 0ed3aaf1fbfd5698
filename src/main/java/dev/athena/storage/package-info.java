/**
 * Object stores: a local folder and any S3-compatible service behind one small interface (put whole, get,
 * ranged get, list, delete), and the decorators that make them trustworthy: read-back of every write,
 * retries, read-only, a download cache.
 *
 * <p>Uses no other Athena package. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.storage;
