package io.rrtcp.worker;

import java.time.Duration;

/**
 * Limits the supervisor enforces on every worker ({@code tcp.pool.supervisor}); a zero duration or limit is off.
 *
 * @param watchTick         how often the limits are checked
 * @param ttl               longest life of a worker; it is replaced when it is next idle
 * @param idleTtl           longest idle time of a worker that has served at least once
 * @param execTtl           longest single request: the worker is killed, the request fails
 * @param maxMemoryBytes    resident memory above which a worker is replaced when it is next idle
 */
public record SupervisorOptions(Duration watchTick, Duration ttl, Duration idleTtl, Duration execTtl,
                                long maxMemoryBytes) {
    public static final Duration DEFAULT_WATCH_TICK = Duration.ofSeconds(5);

    public SupervisorOptions {
        if (watchTick.isZero() || watchTick.isNegative()) {
            throw new IllegalArgumentException("supervisor watch_tick must be positive, got " + watchTick);
        }
    }
}
