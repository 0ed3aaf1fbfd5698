/**
 * The command line (athena serve, backup, restore, verify, prune, list, forget, repair, demo): the only place
 * that reads the process's environment, handing it to config.
 *
 * <p>May use every other package. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.cli;
