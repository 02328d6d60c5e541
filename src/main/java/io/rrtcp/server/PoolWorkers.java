package io.rrtcp.server;

import io.rrtcp.rpc.ManagedWorkers;
import io.rrtcp.rpc.WorkerStatus;
import io.rrtcp.worker.WorkerInfo;
import io.rrtcp.worker.WorkerPool;

import java.time.Instant;
import java.util.List;

/** The tcp plugin's worker pool as the informer and resetter RPC methods see it. */
final class PoolWorkers implements ManagedWorkers {
    private final WorkerPool pool;

    PoolWorkers(WorkerPool pool) {
        this.pool = pool;
    }

    @Override
    public List<WorkerStatus> workers() {
        return pool.workers().stream().map(PoolWorkers::status).toList();
    }

    static WorkerStatus status(WorkerInfo w) {
        return new WorkerStatus(w.pid(), w.state().code(), w.numExecs(), nanos(w.created()), 0, 0, "",
                w.state().statusStr());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public void addWorker() throws Exception {
        throw new UnsupportedOperationException("informer.AddWorker is not available yet");
    }

    @Override
    public void removeWorker() throws Exception {
        throw new UnsupportedOperationException("informer.RemoveWorker is not available yet");
    }

    @Override
    public void reset() throws Exception {
        throw new UnsupportedOperationException("resetter.Reset is not available yet");
    }
}
