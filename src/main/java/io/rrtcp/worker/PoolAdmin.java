package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** The pool's controls: add a worker, remove one, replace them all (reset); one at a time. */
final class PoolAdmin {
    private static final Log LOG = Log.get("pool");

    private final PoolOptions options;
    private final WorkerFactory factory;
    private final Roster roster;
    private final WorkerLifecycle lifecycle;
    private final PoolExecutor executor;
    private final Replenisher replenisher;
    private final TimeSource time;
    private final BooleanSupplier closed;
    private final ReentrantLock resizing = new ReentrantLock();

    PoolAdmin(PoolOptions options, WorkerFactory factory, Roster roster, WorkerLifecycle lifecycle,
              PoolExecutor executor, Replenisher replenisher, TimeSource time, BooleanSupplier closed) {
        this.options = options;
        this.factory = factory;
        this.roster = roster;
        this.lifecycle = lifecycle;
        this.executor = executor;
        this.replenisher = replenisher;
        this.time = time;
        this.closed = closed;
    }

    /** One more worker; the target grows by one. @throws WorkerException START_FAILED (the target is unchanged) */
    void addWorker() throws WorkerException {
        resizing.lock();
        try {
            if (closed.getAsBoolean()) {
                throw WorkerPool.poolClosed();
            }
            Worker fresh = factory.start();
            int target = roster.changeTarget(1);
            lifecycle.admit(roster.admit(fresh));
            LOG.info("worker added", "pid", fresh.pid(), "num_workers", target);
        } finally {
            resizing.unlock();
        }
    }

    /**
     * One worker fewer: an idle worker (waited for up to destroy_timeout, in line with the requests) is stopped and
     * the target shrinks. On the last worker this succeeds without removing anything, with a warning (upstream).
     *
     * @throws WorkerException NO_FREE_WORKERS when no worker became idle within destroy_timeout
     */
    void removeWorker() throws WorkerException {
        resizing.lock();
        try {
            if (roster.target() <= 1) {
                LOG.warn("can't remove the last worker", "num_workers", roster.target());
                return;
            }
            Roster.Entry entry = executor.take(options.destroyTimeout());
            int target = roster.changeTarget(-1);
            lifecycle.retire(entry, WorkerState.DESTROYED, "removed", false);
            entry.worker.awaitExit(options.destroyTimeout());
            LOG.info("worker removed", "pid", entry.worker.pid(), "num_workers", target);
        } finally {
            resizing.unlock();
        }
    }

    /**
     * Replaces every worker. Idle workers stop at once; busy ones finish their request first (up to reset_timeout,
     * then they are killed); new requests wait for the fresh workers, which start in parallel.
     *
     * @throws WorkerException START_FAILED when fresh workers cannot start (the pool keeps retrying in the background)
     */
    void reset() throws WorkerException {
        resizing.lock();
        try {
            if (closed.getAsBoolean()) {
                throw WorkerPool.poolClosed();
            }
            long deadline = time.nanoTime() + options.resetTimeout().toNanos();
            int target = roster.target();
            roster.claimStarts(target); // the replenisher must not start more while the reset does
            List<Roster.Entry> old = roster.uncountAll();
            LOG.info("reset: replacing every worker", "workers", old.size(), "reset_timeout", options.resetTimeout());
            for (Roster.Entry e : old) {
                if (roster.phase(e) == Roster.Phase.IDLE) {
                    lifecycle.retire(e, WorkerState.DESTROYED, "reset", false); // busy ones leave after their request
                }
            }
            WorkerException failure = startFresh(target);
            for (Roster.Entry e : old) {
                awaitExitOrKill(e.worker, deadline, "reset: worker still busy after reset_timeout, killing it",
                        "reset_timeout", options.resetTimeout(), time);
            }
            if (failure != null) {
                throw new WorkerException(WorkerException.Kind.START_FAILED, failure.pid(), false,
                        "reset: fresh workers failed to start (the pool keeps retrying): " + failure.getMessage(), failure);
            }
            LOG.info("reset: done", "pids", roster.infos().stream().map(w -> String.valueOf(w.pid())).toList());
        } finally {
            resizing.unlock();
        }
    }

    /** Starts {@code n} workers in parallel, admitting each as it is ready; failures are left to the replenisher. */
    private WorkerException startFresh(int n) {
        List<Future<Worker>> fresh = new ArrayList<>();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                fresh.add(starters.submit(() -> {
                    Worker w = factory.start();
                    lifecycle.admit(roster.admit(w));
                    return w;
                }));
            }
        }
        roster.startEnded(n);
        WorkerException failure = collectStarts(fresh, new ArrayList<>());
        replenisher.topUp();
        return failure;
    }

    /** Waits for every start, adds the workers that started to {@code started}, and returns the first failure. */
    static WorkerException collectStarts(List<Future<Worker>> starts, List<Worker> started) {
        WorkerException failure = null;
        for (Future<Worker> f : starts) {
            try {
                started.add(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof WorkerException we ? we
                            : new WorkerException(WorkerException.Kind.START_FAILED, 0, false,
                            "worker failed to start: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failure != null ? failure : new WorkerException(WorkerException.Kind.START_FAILED, 0, false,
                        "interrupted while starting workers");
            }
        }
        return failure;
    }

    /** Waits until {@code deadline} ({@link TimeSource#nanoTime()}) for the worker to exit; then kills it, saying why. */
    static void awaitExitOrKill(Worker w, long deadline, String why, String key, Duration limit, TimeSource time) {
        long left = deadline - time.nanoTime();
        if (left > 0 && w.awaitExit(Duration.ofNanos(left)) || !w.isAlive()) {
            return;
        }
        LOG.warn(why, "pid", w.pid(), key, limit);
        w.kill();
        w.awaitExit(Duration.ofSeconds(1));
    }
}
