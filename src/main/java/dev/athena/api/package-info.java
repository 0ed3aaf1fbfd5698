/**
 * The HTTP API of the seed's documentation and docs/api.md: authentication, strict request parsing, the error
 * mapping, forwarding of jobs to the leader.
 *
 * <p>Uses service and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.api;
