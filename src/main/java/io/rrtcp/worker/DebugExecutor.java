package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import java.util.function.BooleanSupplier;

/** Debug mode: a brand-new worker per request, stopped right after it; nothing is pooled or listed. */
final class DebugExecutor implements RequestExecutor {
    private final WorkerFactory factory;
    private final PoolOptions options;
    private final BooleanSupplier closed;

    DebugExecutor(WorkerFactory factory, PoolOptions options, BooleanSupplier closed) {
        this.factory = factory;
        this.options = options;
        this.closed = closed;
    }

    @Override
    public Payload exec(Payload request) throws WorkerException {
        Worker worker = fresh();
        try {
            return worker.exec(request, options.execTtl()).payloadOf(worker.pid());
        } finally {
            WorkerLifecycle.stopInBackground(worker);
        }
    }

    @Override
    public void execClose(Payload closeEvent) throws WorkerException {
        Worker worker = fresh();
        try {
            worker.execClose(closeEvent, options.execTtl());
        } finally {
            WorkerLifecycle.stopInBackground(worker);
        }
    }

    private Worker fresh() throws WorkerException {
        if (closed.getAsBoolean()) {
            throw WorkerPool.poolClosed();
        }
        return factory.start();
    }
}
