package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

/**
 * One attempt of a request on a worker, and where it waits for one. When the pool is busy it waits in line and is
 * run by the thread that puts a worker back (a chain, see {@link PoolExecutor}), which writes it to the worker before
 * it tells the previous request's thread its reply, so that a busy worker waits for rr-tcp as little as possible; the
 * requesting thread then only wakes once, for its outcome. The outcome's fields are written before {@link #settle()}
 * (a volatile write) and read after the wait saw it.
 */
final class Turn extends IdleWorkers.Waiter<Roster.Entry> {
    final Payload request;
    final boolean closeEvent;
    final ExecObserver observer;
    /** When the request asked for a worker (System.nanoTime()). */
    final long asked;
    private final boolean chained;
    private boolean settled;

    Reply reply;
    WorkerException failure;
    FailurePolicy policy;
    Worker worker;

    Turn(Payload request, boolean closeEvent, ExecObserver observer, boolean chained) {
        this.request = request;
        this.closeEvent = closeEvent;
        this.observer = observer;
        this.chained = chained;
        this.asked = System.nanoTime();
    }

    @Override
    boolean chainable() {
        return chained;
    }

    /** Ends the requesting thread's wait, once; the chain calls it as early as it can, and again at the end. */
    @Override
    void settle() {
        if (!settled) {
            settled = true;
            super.settle();
        }
    }

    /** A failure that never reached a worker (the pool closed, a fault in the chain): the request fails. */
    void fail(WorkerException e) {
        failure = e;
        policy = new FailurePolicy(FailurePolicy.WorkerFate.KEEP, null, FailurePolicy.RequestFate.FAIL);
    }
}
