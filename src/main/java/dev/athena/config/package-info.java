/**
 * Settings, read from the environment once and checked at start, and the wiring that turns them into stores
 * and components: every other package gets values, never the environment.
 *
 * <p>May use every layer below service. The layers are checked by {@code dev.athena.architecture.LayersTest}.
 */
package dev.athena.config;
