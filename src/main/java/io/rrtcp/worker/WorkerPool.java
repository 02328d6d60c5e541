package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fixed set of worker processes lent out one request at a time. Idle workers wait in a FIFO; a {@link Semaphore}
 * counts them, so a request waits at most {@code allocate_timeout} for one. A worker that dies, breaks the protocol or
 * reaches {@code max_jobs} is replaced, so the pool returns to {@code num_workers}.
 */
public final class WorkerPool implements RequestExecutor, AutoCloseable {
    private static final Log LOG = Log.get("pool");
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);

    private final PoolOptions options;
    private final WorkerFactory factory;
    /** One permit per worker in {@link #idle}. Fair, so that requests are served in arrival order. */
    private final Semaphore available = new Semaphore(0, true);
    private final ConcurrentLinkedDeque<WorkerProcess> idle = new ConcurrentLinkedDeque<>();
    private final Set<WorkerProcess> workers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public WorkerPool(PoolOptions options, WorkerFactory factory) {
        this.options = options;
        this.factory = factory;
    }

    /** Starts {@code num_workers} workers in parallel; if any fails to start, stops the others and throws. */
    public void start() throws WorkerException {
        List<Future<WorkerProcess>> starting = new ArrayList<>();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < options.numWorkers(); i++) {
                starting.add(starters.submit(factory::start));
            }
        }
        WorkerException failure = null;
        List<WorkerProcess> started = new ArrayList<>();
        for (Future<WorkerProcess> f : starting) {
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
                throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false, "interrupted while starting workers");
            }
        }
        if (failure != null) {
            started.forEach(WorkerProcess::kill);
            throw failure;
        }
        started.forEach(this::admit);
        LOG.info("workers started", "num_workers", options.numWorkers(),
                "pids", started.stream().map(w -> String.valueOf(w.pid())).toList());
    }

    /** Runs one request on a free worker and returns its reply. */
    @Override
    public Payload exec(Payload request) throws WorkerException {
        return run(request, false);
    }

    /** Delivers a CLOSE event; the worker's answer, if any, is dropped (see {@link WorkerProcess#execClose}). */
    @Override
    public void execClose(Payload closeEvent) throws WorkerException {
        run(closeEvent, true);
    }

    private Payload run(Payload request, boolean closeEvent) throws WorkerException {
        while (true) {
            WorkerProcess worker = take();
            try {
                Payload reply;
                if (closeEvent) {
                    worker.execClose(request);
                    reply = null;
                } else {
                    reply = worker.exec(request);
                }
                release(worker);
                return reply;
            } catch (WorkerException e) {
                switch (e.kind()) {
                    case SOFT_JOB, STREAM_REFUSED -> release(worker);
                    case STOP_REQUESTED -> {
                        retire(worker, "worker asked to be stopped");
                        continue; // upstream runs the same request again on another worker
                    }
                    default -> {
                        retire(worker, e.getMessage());
                        if (!e.delivered()) {
                            continue; // the request never reached the dead worker: another one can take it
                        }
                    }
                }
                throw e;
            }
        }
    }

    private WorkerProcess take() throws WorkerException {
        long deadline = System.nanoTime() + options.allocateTimeout().toNanos();
        while (true) {
            if (closed) {
                throw poolClosed();
            }
            long remaining = deadline - System.nanoTime();
            boolean acquired;
            try {
                acquired = remaining > 0 && available.tryAcquire(remaining, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false, "interrupted while waiting for a worker");
            }
            if (!acquired) {
                throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false,
                        "no free worker within allocate_timeout=" + options.allocateTimeout().toMillis() + "ms ("
                                + workers.size() + " workers, all busy)");
            }
            if (closed) {
                throw poolClosed();
            }
            WorkerProcess worker = idle.pollFirst();
            if (worker != null && worker.isAlive() && worker.state() == WorkerState.READY) {
                return worker;
            }
            // A worker that died while idle: its exit handler has already started a replacement; drop it and go on.
        }
    }

    private WorkerException poolClosed() {
        return new WorkerException(WorkerException.Kind.POOL_CLOSED, 0, false, "the worker pool is shutting down");
    }

    private void release(WorkerProcess worker) {
        if (closed) {
            Thread.ofVirtual().start(worker::stop);
            return;
        }
        if (options.maxJobs() > 0 && worker.numExecs() >= options.maxJobs()) {
            worker.setState(WorkerState.MAX_JOBS_REACHED);
            retire(worker, "max_jobs reached");
            return;
        }
        idle.addLast(worker);
        available.release();
    }

    /** Takes a worker out of service for good and starts its replacement; the old one stops in the background. */
    private void retire(WorkerProcess worker, String reason) {
        if (!worker.retire()) {
            return;
        }
        workers.remove(worker);
        boolean expected = worker.state() == WorkerState.MAX_JOBS_REACHED || worker.state() == WorkerState.INVALID;
        if (expected) {
            LOG.info("replacing worker", "pid", worker.pid(), "reason", reason, "execs", worker.numExecs());
        } else {
            LOG.warn("worker killed and replaced", "pid", worker.pid(), "reason", reason);
        }
        Thread.ofVirtual().name("retire-" + worker.pid()).start(() -> {
            if (worker.isAlive()) {
                worker.stop();
            }
        });
        replace();
    }

    private void admit(WorkerProcess worker) {
        workers.add(worker);
        worker.onExit(code -> exited(worker, code));
        if (closed) {
            Thread.ofVirtual().start(worker::stop);
            return;
        }
        idle.addLast(worker);
        available.release();
    }

    private void exited(WorkerProcess worker, int exitCode) {
        if (closed || worker.isRetired()) {
            workers.remove(worker);
            return;
        }
        worker.setState(exitCode == 0 ? WorkerState.STOPPED : WorkerState.ERRORED);
        retire(worker, "process exited with code " + exitCode + stderrHint(worker));
    }

    private static String stderrHint(WorkerProcess worker) {
        String stderr = worker.recentStderr();
        if (stderr.isEmpty()) {
            return "";
        }
        String last = stderr.substring(stderr.lastIndexOf('\n') + 1);
        return "; last stderr line: " + last;
    }

    /** Starts one worker in the background, retrying with a growing pause until it works or the pool closes. */
    private void replace() {
        Thread.ofVirtual().name("respawn").start(() -> {
            Duration pause = FIRST_RETRY;
            while (!closed) {
                try {
                    WorkerProcess fresh = factory.start();
                    admit(fresh);
                    LOG.info("worker started", "pid", fresh.pid());
                    return;
                } catch (WorkerException e) {
                    LOG.error("failed to start a replacement worker; retrying", "retry_in", pause, "error", e.getMessage());
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
                }
            }
        });
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The workers currently in the pool, by pid. */
    public List<WorkerInfo> workers() {
        return workers.stream().map(WorkerProcess::info).sorted(Comparator.comparingLong(WorkerInfo::pid)).toList();
    }

    public PoolOptions options() {
        return options;
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
        available.release(Integer.MAX_VALUE / 2); // wake every waiting request so that it sees the pool closed
        List<WorkerProcess> all = new ArrayList<>(workers);
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WorkerProcess w; (w = idle.pollFirst()) != null; ) {
                stoppers.submit(w::stop);
            }
        }
        long deadline = System.nanoTime() + options.destroyTimeout().toNanos();
        for (WorkerProcess w : all) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!w.awaitExit(Duration.ofMillis(left))) {
                LOG.warn("worker still busy after destroy_timeout, killing it", "pid", w.pid());
                w.kill();
                w.awaitExit(Duration.ofSeconds(1));
            }
            w.setState(WorkerState.DESTROYED);
        }
        workers.clear();
        LOG.info("worker pool stopped");
    }
}
