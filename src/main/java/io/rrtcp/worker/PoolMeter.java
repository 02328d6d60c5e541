package io.rrtcp.worker;

/** Told when the pool takes a worker out of service, for metrics ({@code rr_tcp_worker_restarts_total}). */
@FunctionalInterface
public interface PoolMeter {
    PoolMeter NONE = state -> {
    };

    /**
     * A worker left the pool for good (a fresh one usually takes its place).
     *
     * @param state the state it left in, which tells why: maxJobsReached, ttlReached, errored, destroyed (reset), ...
     */
    void retired(WorkerState state);
}
