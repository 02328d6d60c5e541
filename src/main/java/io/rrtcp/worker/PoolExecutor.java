package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs requests on the pool's workers: take an idle one (waiting up to allocate_timeout), exchange, and put the
 * worker where the outcome sends it ({@link FailurePolicy}); a request that never reached a worker runs again on
 * another.
 */
final class PoolExecutor implements RequestExecutor {
    /** Beyond num_workers, how many more never-answering workers one request may go to when each leaves unread. */
    private static final int EXTRA_ATTEMPTS = 3;
    private static final Reply CLOSE_DELIVERED = new Reply.Answer(null);

    private final PoolOptions options;
    private final Roster roster;
    private final IdleWorkers<Roster.Entry> idle;
    private final WorkerLifecycle lifecycle;
    private final Replenisher replenisher;
    private final BooleanSupplier closed;
    /** Requests inside the pool, waiting or running (for max_queue_size). */
    private final AtomicInteger inside = new AtomicInteger();

    PoolExecutor(PoolOptions options, Roster roster, IdleWorkers<Roster.Entry> idle, WorkerLifecycle lifecycle,
                 Replenisher replenisher, BooleanSupplier closed) {
        this.options = options;
        this.roster = roster;
        this.idle = idle;
        this.lifecycle = lifecycle;
        this.replenisher = replenisher;
        this.closed = closed;
    }

    @Override
    public Payload exec(Payload request) throws WorkerException {
        return run(request, false, ExecObserver.NONE);
    }

    /** The worker's answer to CLOSE, if any, is dropped. */
    @Override
    public void execClose(Payload closeEvent) throws WorkerException {
        run(closeEvent, true, ExecObserver.NONE);
    }

    @Override
    public Payload exec(Payload request, ExecObserver observer) throws WorkerException {
        return run(request, false, observer);
    }

    @Override
    public void execClose(Payload closeEvent, ExecObserver observer) throws WorkerException {
        run(closeEvent, true, observer);
    }

    /** Requests inside the pool, waiting or running. */
    int queueSize() {
        return inside.get();
    }

    private Payload run(Payload request, boolean closeEvent, ExecObserver observer) throws WorkerException {
        if (closed.getAsBoolean()) {
            throw WorkerPool.poolClosed();
        }
        int queued = inside.incrementAndGet();
        try {
            if (options.maxQueueSize() > 0 && queued > options.maxQueueSize()) {
                throw new WorkerException(WorkerException.Kind.QUEUE_FULL, 0, false,
                        "static_pool_exec: QueueSize: max queue size reached (max_queue_size="
                                + options.maxQueueSize() + ")");
            }
            int fruitless = 0; // retries on workers that never answered anything: a worker bug, not a recycle
            while (true) {
                long asked = System.nanoTime();
                Roster.Entry entry = take(options.allocateTimeout());
                long lent = System.nanoTime();
                observer.waited(lent - asked);
                Worker worker = entry.worker;
                Reply reply;
                FailurePolicy policy;
                WorkerException failure = null;
                try {
                    reply = closeEvent ? exchangeClose(worker, request) : worker.exec(request, options.execTtl());
                    observer.worked(System.nanoTime() - lent);
                    policy = FailurePolicy.of(reply);
                } catch (WorkerException e) {
                    reply = null;
                    failure = e;
                    policy = FailurePolicy.of(e, worker.state());
                }
                boolean woke = place(entry, policy, failure);
                switch (policy.request()) {
                    case ANSWERED -> {
                        replenisher.answered();
                        if (woke && Thread.currentThread().isVirtual()) {
                            // the worker went to a request that waited: let it write to the worker before this
                            // thread writes its reply to the client, so the worker idles as little as possible
                            Thread.yield();
                        }
                        return closeEvent ? null : reply.payloadOf(worker.pid());
                    }
                    case FAIL -> throw failure != null ? failure : failureOf(reply, worker);
                    case RETRY -> {
                        if (worker.served() == 0 && ++fruitless >= options.numWorkers() + EXTRA_ATTEMPTS) {
                            WorkerException last = failure != null ? failure : failureOf(reply, worker);
                            throw new WorkerException(last.kind(), last.pid(), last.delivered(), "gave up after "
                                    + fruitless + " fresh workers left without answering; last: " + last.getMessage(), last);
                        }
                    }
                }
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    private Reply exchangeClose(Worker worker, Payload closeEvent) throws WorkerException {
        worker.execClose(closeEvent, options.execTtl());
        return CLOSE_DELIVERED;
    }

    private static WorkerException failureOf(Reply reply, Worker worker) {
        try {
            reply.payloadOf(worker.pid());
            throw new IllegalStateException("an answer is no failure");
        } catch (WorkerException e) {
            return e;
        }
    }

    /** The worker back to idle or out of service, as the policy says; true when a waiting request got it. */
    private boolean place(Roster.Entry entry, FailurePolicy policy, WorkerException failure) {
        String reason = failure != null ? failure.getMessage() : "worker asked to be stopped";
        return switch (policy.worker()) {
            case KEEP -> release(entry);
            case RECYCLE -> {
                if (failure != null && entry.worker.served() == 0) {
                    replenisher.deathBeforeAnswer(); // quits without ever answering: restarts back off
                }
                lifecycle.retire(entry, policy.leftAs(), reason, false);
                yield false;
            }
            case FAULT -> {
                lifecycle.retire(entry, policy.leftAs(), reason, true);
                yield false;
            }
        };
    }

    /** The head of the idle workers, waiting up to {@code timeout} for one. */
    Roster.Entry take(Duration timeout) throws WorkerException {
        Roster.Entry entry;
        try {
            entry = idle.take(timeout, this::claim);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false, "interrupted while waiting for a worker");
        } catch (IdleWorkers.ClosedException e) {
            throw WorkerPool.poolClosed();
        }
        if (entry == null) {
            throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false,
                    "static_pool_exec: NoFreeWorkers: no free worker within allocate_timeout="
                            + timeout.toMillis() + "ms (" + roster.size() + " workers, all busy)");
        }
        return entry;
    }

    /** Claims an idle worker for a request; false for a tombstone or a process found dead (which is retired). */
    private boolean claim(Roster.Entry entry) {
        if (!roster.lend(entry)) {
            return false;
        }
        if (!entry.worker.isAlive()) {
            lifecycle.retire(entry, null, "process exited while idle", false);
            return false;
        }
        return true;
    }

    /** Back to idle, unless it is due for replacement; true when a waiting request was woken for it. */
    private boolean release(Roster.Entry entry) {
        Worker worker = entry.worker;
        if (!worker.isAlive()) {
            lifecycle.retire(entry, WorkerState.STOPPED, "process exited after its request", false);
            return false;
        }
        if (closed.getAsBoolean()) {
            lifecycle.retireAndStop(entry);
            return false;
        }
        if (!roster.isCounted(entry)) {
            lifecycle.retire(entry, WorkerState.DESTROYED, "reset", false);
            return false;
        }
        if (options.maxJobs() > 0 && worker.numExecs() >= options.maxJobs()) {
            lifecycle.retire(entry, WorkerState.MAX_JOBS_REACHED, "max_jobs reached", false);
            return false;
        }
        Roster.Recycle mark = roster.recycleMark(entry);
        if (mark != null) {
            lifecycle.retire(entry, mark.state(), mark.reason(), false);
            return false;
        }
        return lifecycle.backToIdle(entry);
    }
}
