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
 * @param maxQueueSize    requests allowed inside the pool (waiting or running); 0 = no limit
 * @param resetTimeout    longest wait for busy workers during a reset (default 60s)
 * @param streamTimeout   longest wait for the rest of a streamed reply, which TCP refuses (default 60s)
 * @param debug           a fresh worker per request, stopped after it
 * @param supervisor      {@code tcp.pool.supervisor}, when the section is present
 */
public record PoolConfig(int numWorkers, long maxJobs, Duration allocateTimeout, Duration destroyTimeout,
                         Optional<List<String>> command, long maxQueueSize, Duration resetTimeout,
                         Duration streamTimeout, boolean debug, Optional<SupervisorConfig> supervisor) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The defaults of everything but the four basic keys and the command. */
    public PoolConfig(int numWorkers, long maxJobs, Duration allocateTimeout, Duration destroyTimeout,
                      Optional<List<String>> command) {
        this(numWorkers, maxJobs, allocateTimeout, destroyTimeout, command, 0, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT,
                false, Optional.empty());
    }
}
