/**
 * One consistent backup of several components under one claimed name and one manifest, written last.
 *
 * <p>Uses component and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.backup;
