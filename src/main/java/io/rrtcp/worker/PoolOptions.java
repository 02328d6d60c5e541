package io.rrtcp.worker;

import java.time.Duration;

/**
 * What the pool needs to know, independent of where it came from.
 *
 * @param numWorkers      workers kept running
 * @param maxJobs         executions after which a worker is replaced (0 = unlimited)
 * @param allocateTimeout longest wait for a free worker
 * @param destroyTimeout  longest wait for workers to stop at shutdown
 */
public record PoolOptions(int numWorkers, long maxJobs, Duration allocateTimeout, Duration destroyTimeout) {
    public PoolOptions {
        if (numWorkers < 1) {
            throw new IllegalArgumentException("num_workers must be at least 1, got " + numWorkers);
        }
    }
}
