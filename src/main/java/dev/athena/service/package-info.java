/**
 * The long-running service: one job at a time, the schedule's ticks, retention sweeps, the records of backups
 * and restores and their reports, metrics, and leader election between replicas.
 *
 * <p>Uses config and every layer below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.service;
