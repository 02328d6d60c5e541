package io.rrtcp.server;

import io.rrtcp.reload.ReloadTarget;
import io.rrtcp.worker.WorkerException;
import io.rrtcp.worker.WorkerFactory;
import io.rrtcp.worker.WorkerInfo;
import io.rrtcp.worker.WorkerPool;
import io.rrtcp.worker.Worker;

import java.util.List;

/** The tcp pool as the reloader sees it: workers started as the pool starts them, reset as {@code rr-tcp reset} does. */
final class PoolReloadTarget implements ReloadTarget {
    private final WorkerPool pool;
    private final WorkerFactory factory;
    private final PoolWorkers managed;

    PoolReloadTarget(WorkerPool pool, WorkerFactory factory) {
        this.pool = pool;
        this.factory = factory;
        this.managed = new PoolWorkers(pool);
    }

    @Override
    public long tryOneWorker() throws WorkerException {
        Worker worker = factory.start();
        worker.stop();
        return worker.pid();
    }

    @Override
    public void reset() throws WorkerException {
        managed.reset();
    }

    @Override
    public List<Long> pids() {
        return pool.workers().stream().map(WorkerInfo::pid).toList();
    }
}
