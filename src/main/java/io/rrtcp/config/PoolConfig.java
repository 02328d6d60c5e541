package io.rrtcp.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code tcp.pool} section.
 *
 * @param numWorkers      workers kept running (default: CPU count; 1..500)
 * @param maxJobs         executions after which a worker is replaced; 0 = unlimited
 * @param allocateTimeout longest wait for a free worker, and for a worker to start (default 60s)
 * @param destroyTimeout  longest wait for a worker to stop before it is killed (default 60s)
 * @param command         {@code tcp.pool.command}, overriding {@code server.command} when present
 */
public record PoolConfig(int numWorkers, long maxJobs, Duration allocateTimeout, Duration destroyTimeout,
                         Optional<List<String>> command) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
}
