package io.rrtcp.server;

import io.rrtcp.rpc.ManagedWorkers;
import io.rrtcp.rpc.WorkerStatus;
import io.rrtcp.worker.WorkerException;
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
        return new WorkerStatus(w.pid(), w.state().code(), w.numExecs(), nanos(w.created()), w.memoryUsage(),
                w.cpuPercent(), "",
                w.state().statusStr());
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public void addWorker() throws WorkerException {
        pool.addWorker();
    }

    @Override
    public void removeWorker() throws WorkerException {
        pool.removeWorker();
    }

    @Override
    public void reset() throws WorkerException {
        pool.reset();
    }
}
