/**
 * What a backup is made of: a component (PostgreSQL, RDS, metagraph, gitserver, the ConfigMap) backs itself
 * up into the repository, checks that it can be restored before anything is written, restores itself, and
 * verifies what it restored.
 *
 * <p>Uses volume, repository, storage and concurrent; each kind lives in its own sub-package where it needs
 * more than one class. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.component;
