package io.rrtcp.ops;

import io.rrtcp.rpc.WorkerStatus;

import java.util.List;

/** The worker pool as metrics read it when Prometheus scrapes (the informer's list, the pool's queue). */
public interface PoolView {
    PoolView NONE = new PoolView() {
        @Override
        public List<WorkerStatus> workers() {
            return List.of();
        }

        @Override
        public int queueSize() {
            return 0;
        }
    };

    /** The workers as {@code informer.Workers} lists them. */
    List<WorkerStatus> workers();

    /** Requests inside the pool: waiting for a worker or running on one. */
    int queueSize();
}
