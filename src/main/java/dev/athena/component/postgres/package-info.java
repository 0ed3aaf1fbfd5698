/**
 * PostgreSQL as a component: dumps per database and table, streamed into the repository, loaded into a fresh
 * database and swapped in whole.
 *
 * <p>Uses the component package and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.component.postgres;
