package io.rrtcp.config;

import java.time.Duration;

/**
 * The {@code tcp.pool.supervisor} section; a zero duration or limit is off.
 *
 * @param watchTick          how often workers are checked (default 5s)
 * @param ttl                longest life of a worker
 * @param idleTtl            longest idle time of a worker that has served
 * @param execTtl            longest single request; the worker is killed
 * @param maxWorkerMemoryMb  resident memory limit in MB (1 048 576 bytes)
 */
public record SupervisorConfig(Duration watchTick, Duration ttl, Duration idleTtl, Duration execTtl,
                               long maxWorkerMemoryMb) {
    public static final Duration DEFAULT_WATCH_TICK = Duration.ofSeconds(5);
}
