package io.rrtcp.rpc;

/**
 * One worker as {@code informer.Workers} reports it (upstream's {@code process.State}, same field order).
 *
 * @param createdNanos creation time in Unix nanoseconds
 * @param cpuPercent   lifetime CPU time / wall time × 100
 * @param command      always empty for pool workers
 */
public record WorkerStatus(long pid, int status, long numExecs, long createdNanos, long memoryUsage,
                           double cpuPercent, String command, String statusStr) {
}
