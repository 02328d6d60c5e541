package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import io.rrtcp.log.Log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Worker processes lent out one request at a time, wired from its parts: the {@link Roster} (every worker and where it
 * is in its life), {@link IdleWorkers} (a fair semaphore and a deque: each waiting request has its own deadline), the
 * {@link PoolExecutor} (take, exchange, release), the {@link Replenisher} (back to num_workers, with back-off), the
 * {@link PoolAdmin} (add, remove, reset) and the {@link Supervisor}. Debug mode uses a {@link DebugExecutor} instead.
 */
public final class WorkerPool implements RequestExecutor, AutoCloseable {
    private static final Log LOG = Log.get("pool");

    private final PoolOptions options;
    private final WorkerFactory factory;
    private final TimeSource time;
    private final Roster roster;
    /** A slow worker put back runs the next waiting request on the putting thread (a chain, see PoolExecutor). */
    private final IdleWorkers<Roster.Entry> idle = new IdleWorkers<>(e -> e.worker.answersSlowly());
    private final WorkerLifecycle lifecycle;
    private final Replenisher replenisher;
    private final PoolExecutor pooled;
    private final RequestExecutor executor;
    private final PoolAdmin admin;
    private final Supervisor supervisor;
    private final IdleOutputWatch idleWatch;
    private volatile boolean closed;

    public WorkerPool(PoolOptions options, WorkerFactory factory) {
        this(options, factory, TimeSource.system(), PoolMeter.NONE);
    }

    /** @param meter told of every worker the pool retires (for restart metrics) */
    public WorkerPool(PoolOptions options, WorkerFactory factory, PoolMeter meter) {
        this(options, factory, TimeSource.system(), meter);
    }

    public WorkerPool(PoolOptions options, WorkerFactory factory, TimeSource time) {
        this(options, factory, time, PoolMeter.NONE);
    }

    public WorkerPool(PoolOptions options, WorkerFactory factory, TimeSource time, PoolMeter meter) {
        this.options = options;
        this.factory = factory;
        this.time = time;
        this.roster = new Roster(options.numWorkers());
        this.lifecycle = new WorkerLifecycle(roster, idle, this::isClosed, meter);
        this.replenisher = new Replenisher(roster, factory, time, this::isClosed, lifecycle::admit,
                WorkerLifecycle::stopInBackground);
        lifecycle.replenishWith(replenisher);
        this.pooled = new PoolExecutor(options, roster, idle, lifecycle, replenisher, this::isClosed);
        lifecycle.handOverWith(pooled::handOver);
        this.executor = options.debug() ? new DebugExecutor(factory, options, this::isClosed) : pooled;
        this.admin = new PoolAdmin(options, factory, roster, lifecycle, pooled, replenisher, time, this::isClosed);
        this.supervisor = options.supervisor().map(s -> new Supervisor(roster, lifecycle, s, time))
                .orElse(null);
        this.idleWatch = new IdleOutputWatch(roster, lifecycle);
    }

    private boolean isClosed() {
        return closed;
    }

    static WorkerException poolClosed() {
        return new WorkerException(WorkerException.Kind.POOL_CLOSED, 0, false, "the worker pool is shutting down");
    }

    /** Starts {@code num_workers} workers in parallel; if any fails to start, stops the others and throws. */
    public void start() throws WorkerException {
        List<Future<Worker>> starting = new ArrayList<>();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < options.numWorkers(); i++) {
                starting.add(starters.submit(factory::start));
            }
        }
        List<Worker> started = new ArrayList<>();
        WorkerException failure = PoolAdmin.collectStarts(starting, started);
        if (failure != null) {
            started.forEach(Worker::kill);
            throw failure;
        }
        started.forEach(w -> lifecycle.admit(roster.admit(w)));
        LOG.info("workers started", "num_workers", options.numWorkers(),
                "pids", started.stream().map(w -> String.valueOf(w.pid())).toList());
        if (supervisor != null) {
            supervisor.start();
        }
        if (!options.debug()) {
            idleWatch.start(time);
        }
    }

    /** Runs one request on a free worker and returns its reply. */
    @Override
    public Payload exec(Payload request) throws WorkerException {
        return executor.exec(request);
    }

    /** Delivers a CLOSE event; the worker's answer, if any, is dropped. */
    @Override
    public void execClose(Payload closeEvent) throws WorkerException {
        executor.execClose(closeEvent);
    }

    @Override
    public Payload exec(Payload request, ExecObserver observer) throws WorkerException {
        return executor.exec(request, observer);
    }

    @Override
    public void execClose(Payload closeEvent, ExecObserver observer) throws WorkerException {
        executor.execClose(closeEvent, observer);
    }

    /** Requests inside the pool, waiting for a worker or running on one (what {@code max_queue_size} limits). */
    public int queueSize() {
        return pooled.queueSize();
    }

    /** The workers in service (including ones a reset is replacing), by pid. Empty in debug mode. */
    public List<WorkerInfo> workers() {
        return roster.infos();
    }

    public PoolOptions options() {
        return options;
    }

    /** One more worker (see {@link PoolAdmin#addWorker}); debug mode: nothing happens (upstream). */
    public void addWorker() throws WorkerException {
        if (options.debug()) {
            LOG.warn("debug mode: workers are started per request; add worker ignored");
            return;
        }
        admin.addWorker();
    }

    /** One worker fewer (see {@link PoolAdmin#removeWorker}); debug mode: nothing happens. */
    public void removeWorker() throws WorkerException {
        if (options.debug()) {
            LOG.warn("debug mode: workers are started per request; remove worker ignored");
            return;
        }
        admin.removeWorker();
    }

    /** Replaces every worker (see {@link PoolAdmin#reset}); debug mode: nothing to reset. */
    public void reset() throws WorkerException {
        if (options.debug()) {
            LOG.info("debug mode: every request gets a fresh worker; nothing to reset");
            return;
        }
        admin.reset();
    }

    /**
     * Stops the pool: idle workers get the stop command now, busy ones when their request ends; after
     * {@code destroy_timeout} whatever still runs is killed. Waiting requests fail at once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Roster.Entry> idleNow = idle.close(); // every waiting request sees the pool closed
        idleWatch.stop();
        if (supervisor != null) {
            supervisor.stop();
        }
        List<Roster.Entry> all = roster.all();
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Roster.Entry e : idleNow) {
                if (roster.lend(e)) { // not a tombstone
                    stoppers.submit(e.worker::stop);
                }
            }
        }
        long deadline = time.nanoTime() + options.destroyTimeout().toNanos();
        for (Roster.Entry e : all) {
            PoolAdmin.awaitExitOrKill(e.worker, deadline, "worker still busy after destroy_timeout, killing it",
                    "destroy_timeout", options.destroyTimeout(), time);
            roster.gone(e);
        }
        LOG.info("worker pool stopped");
    }
}
