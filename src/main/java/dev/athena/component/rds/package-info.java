/**
 * AWS RDS as a component: the backup is a snapshot kept by AWS, recorded in the manifest; the restore creates
 * an instance from it.
 *
 * <p>Uses the component package and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.component.rds;
