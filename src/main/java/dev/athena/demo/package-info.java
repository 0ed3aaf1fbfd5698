/**
 * The self-contained demonstration: a sample platform backed up, restored elsewhere, checked and reported.
 *
 * <p>Uses api, service and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.demo;
