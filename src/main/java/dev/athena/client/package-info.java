/**
 * A client of a running Athena service's HTTP API, for the CLI's commands that act through the
 * service instead of on the repository directly. Depends on no other package of Athena: it speaks
 * only the API's JSON.
 */
package dev.athena.client;
