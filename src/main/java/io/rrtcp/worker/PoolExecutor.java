package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;
import io.rrtcp.log.Log;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private static final Runnable NOTHING = () -> { };
    private static final Log LOG = Log.get("pool");
    /**
     * Set to false to keep every request on its own thread (no chains): waiting requests are woken to run their
     * exchange themselves, as before chains (for comparison).
     */
    static final String CHAINS_PROPERTY = "rrtcp.pool.chains";
    private static final boolean CHAINS = !"false".equals(System.getProperty(CHAINS_PROPERTY));
    /** Platform threads for chains: at most one per busy worker; an idle one ends after a minute. */
    private static final ExecutorService CHAIN_THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("rr-tcp-chain-", 0).daemon(true).factory());

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
                Turn turn = new Turn(request, closeEvent, observer, CHAINS);
                Roster.Entry entry = take(options.allocateTimeout(), turn);
                if (entry != null) { // an idle worker: this thread runs the exchange itself
                    handOver(attempt(entry, turn, NOTHING));
                }
                Worker worker = turn.worker;
                switch (turn.policy.request()) {
                    case ANSWERED -> {
                        replenisher.answered();
                        return closeEvent ? null : turn.reply.payloadOf(worker.pid());
                    }
                    case FAIL -> throw turn.failure != null ? turn.failure : failureOf(turn.reply, worker);
                    case RETRY -> {
                        if (worker.served() == 0 && ++fruitless >= options.numWorkers() + EXTRA_ATTEMPTS) {
                            WorkerException last = turn.failure != null ? turn.failure : failureOf(turn.reply, worker);
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

    /**
     * One exchange of {@code turn} on the worker it holds, its outcome stored in the turn, and the worker placed where
     * the outcome sends it. Returns the waiter the worker was given to next, if any.
     *
     * @param afterSend runs once the request was written to the worker (or failed to be)
     */
    private IdleWorkers.Waiter<Roster.Entry> attempt(Roster.Entry entry, Turn turn, Runnable afterSend) {
        long lent = System.nanoTime();
        turn.observer.waited(lent - turn.asked);
        Worker worker = entry.worker;
        turn.worker = worker;
        try {
            if (turn.closeEvent) {
                worker.execClose(turn.request, options.execTtl(), afterSend);
                turn.reply = CLOSE_DELIVERED;
            } else {
                turn.reply = worker.exec(turn.request, options.execTtl(), afterSend);
            }
            turn.observer.worked(System.nanoTime() - lent);
            turn.policy = FailurePolicy.of(turn.reply);
        } catch (WorkerException e) {
            turn.failure = e;
            turn.policy = FailurePolicy.of(e, worker.state());
        }
        return place(entry, turn.policy, turn.failure);
    }

    /** Runs a waiting request that a worker put back was given to, on a chain thread. */
    void handOver(IdleWorkers.Waiter<Roster.Entry> next) {
        if (next instanceof Turn turn && turn.runsElsewhere()) {
            CHAIN_THREADS.execute(() -> chain(turn));
        }
    }

    /**
     * Runs waiting requests one after the other on the worker the first was given, while the pool is busy: each
     * request is written to the worker before the previous one's thread is told its reply, and the worker goes back
     * to idle only when nobody waits. A platform thread, so that reading the worker's reply is one blocking read
     * rather than a park on the JDK's poller and a hand-off to the request's virtual thread.
     */
    private void chain(Turn first) {
        Turn previous = null;
        Turn current = null;
        IdleWorkers.Waiter<Roster.Entry> next = first;
        try {
            while (next instanceof Turn turn && turn.runsElsewhere()) {
                current = turn;
                Roster.Entry entry = turn.item();
                if (!claim(entry) && (entry = idle.requeue(turn, this::claim)) == null) {
                    current = null;
                    next = null;
                    break; // back in line; a worker put back later runs it
                }
                Runnable settlePrevious = previous == null ? NOTHING : previous::settle;
                next = attempt(entry, turn, settlePrevious);
                settlePrevious.run();
                previous = turn;
                current = null;
            }
        } catch (IdleWorkers.ClosedException e) {
            current.fail(WorkerPool.poolClosed());
            current.settle();
        } catch (RuntimeException | Error e) {
            LOG.error("request chain failed", "error", String.valueOf(e));
            if (current != null) {
                current.fail(new WorkerException(WorkerException.Kind.BROKEN, 0, false, "internal error: " + e, e));
                current.settle();
            }
            throw e;
        } finally {
            if (previous != null) {
                previous.settle();
            }
        }
    }

    private static WorkerException failureOf(Reply reply, Worker worker) {
        try {
            reply.payloadOf(worker.pid());
            throw new IllegalStateException("an answer is no failure");
        } catch (WorkerException e) {
            return e;
        }
    }

    /** The worker back to idle or out of service, as the policy says; the waiter it was given to, if any. */
    private IdleWorkers.Waiter<Roster.Entry> place(Roster.Entry entry, FailurePolicy policy, WorkerException failure) {
        String reason = failure != null ? failure.getMessage() : "worker asked to be stopped";
        return switch (policy.worker()) {
            case KEEP -> release(entry);
            case RECYCLE -> {
                if (failure != null && entry.worker.served() == 0) {
                    replenisher.deathBeforeAnswer(); // quits without ever answering: restarts back off
                }
                lifecycle.retire(entry, policy.leftAs(), reason, false);
                yield null;
            }
            case FAULT -> {
                lifecycle.retire(entry, policy.leftAs(), reason, true);
                yield null;
            }
        };
    }

    /**
     * An idle worker for {@code turn} to run itself, or null when the turn waited in line and was run by a chain
     * (its outcome is in it).
     */
    private Roster.Entry take(Duration timeout, Turn turn) throws WorkerException {
        Roster.Entry entry;
        try {
            entry = idle.take(turn.asked + timeout.toNanos(), this::claim, turn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false, "interrupted while waiting for a worker");
        } catch (IdleWorkers.ClosedException e) {
            throw WorkerPool.poolClosed();
        }
        if (entry == null && turn.policy == null) {
            throw noFreeWorker(timeout);
        }
        return entry;
    }

    private WorkerException noFreeWorker(Duration timeout) {
        return new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false,
                "static_pool_exec: NoFreeWorkers: no free worker within allocate_timeout="
                        + timeout.toMillis() + "ms (" + roster.size() + " workers, all busy)");
    }

    /** The head of the idle workers, waiting up to {@code timeout} for one (a removal). */
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
            throw noFreeWorker(timeout);
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

    /** Back to idle, unless it is due for replacement; the waiter it was given to, if any. */
    private IdleWorkers.Waiter<Roster.Entry> release(Roster.Entry entry) {
        Worker worker = entry.worker;
        if (!worker.isAlive()) {
            lifecycle.retire(entry, WorkerState.STOPPED, "process exited after its request", false);
            return null;
        }
        if (closed.getAsBoolean()) {
            lifecycle.retireAndStop(entry);
            return null;
        }
        if (!roster.isCounted(entry)) {
            lifecycle.retire(entry, WorkerState.DESTROYED, "reset", false);
            return null;
        }
        if (options.maxJobs() > 0 && worker.numExecs() >= options.maxJobs()) {
            lifecycle.retire(entry, WorkerState.MAX_JOBS_REACHED, "max_jobs reached", false);
            return null;
        }
        Roster.Recycle mark = roster.recycleMark(entry);
        if (mark != null) {
            lifecycle.retire(entry, mark.state(), mark.reason(), false);
            return null;
        }
        return lifecycle.backToIdle(entry);
    }
}
