package io.rrtcp.worker;

import java.time.Duration;
import java.util.Optional;

/**
 * What the pool needs to know, independent of where it came from.
 *
 * @param numWorkers      workers kept running (0 only in debug mode)
 * @param maxJobs         executions after which a worker is replaced (0 = unlimited)
 * @param allocateTimeout longest wait for a free worker
 * @param destroyTimeout  longest wait for workers to stop at shutdown, and for an idle worker in {@code removeWorker}
 * @param resetTimeout    longest wait for busy workers to finish during a reset before they are killed
 * @param maxQueueSize    requests allowed inside the pool (waiting or running) before new ones fail at once; 0 = no cap
 * @param debug           a fresh worker for every request, stopped after it
 * @param supervisor      limits checked every watch tick, if configured
 */
public record PoolOptions(int numWorkers, long maxJobs, Duration allocateTimeout, Duration destroyTimeout,
                          Duration resetTimeout, long maxQueueSize, boolean debug,
                          Optional<SupervisorOptions> supervisor) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public PoolOptions {
        if (debug) {
            // upstream: debug forces num_workers=0, max_jobs=1, max_queue_size=0
            numWorkers = 0;
            maxJobs = 1;
            maxQueueSize = 0;
        } else if (numWorkers < 1) {
            throw new IllegalArgumentException("num_workers must be at least 1, got " + numWorkers);
        }
    }

    /** A pool without the optional features: no queue cap, no supervisor, 60s reset_timeout. */
    public PoolOptions(int numWorkers, long maxJobs, Duration allocateTimeout, Duration destroyTimeout) {
        this(numWorkers, maxJobs, allocateTimeout, destroyTimeout, DEFAULT_TIMEOUT, 0, false, Optional.empty());
    }

    /** exec_ttl, or zero when there is none. */
    public Duration execTtl() {
        return supervisor.map(SupervisorOptions::execTtl).orElse(Duration.ZERO);
    }
}
