package io.rrtcp.worker;

import java.time.Instant;

/**
 * A snapshot of one worker, as the informer reports it (upstream's worker state object, §5.5 of the compat notes).
 *
 * @param pid         OS pid of the worker process
 * @param state       its state; {@link WorkerState#code()} and {@link WorkerState#statusStr()} give upstream's values
 * @param numExecs    requests sent to it so far (counted when sent, as upstream)
 * @param created     when the worker was created
 * @param memoryUsage resident set size in bytes, 0 when /proc could not be read
 * @param cpuPercent  CPU time over wall time since the process started, x100; 0 when /proc could not be read
 */
public record WorkerInfo(long pid, WorkerState state, long numExecs, Instant created, long memoryUsage,
                         double cpuPercent) {
}
