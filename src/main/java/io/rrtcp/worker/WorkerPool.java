package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Worker processes lent out one request at a time. Idle workers wait in a FIFO; a request waits at most
 * {@code allocate_timeout} for one. The pool keeps a target number of workers: whatever takes a worker out (death,
 * broken protocol, {@code max_jobs}, supervisor limits) makes it start another, with a growing pause when new workers
 * keep dying. A reset swaps every worker for a fresh one without failing requests in flight.
 */
public final class WorkerPool implements RequestExecutor, AutoCloseable {
    private static final Log LOG = Log.get("pool");
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    /** Deaths in a row of workers that never answered a request, before restarts are delayed. */
    private static final int DEATHS_BEFORE_BACKOFF = 2;
    /** Beyond num_workers, how many more never-answering workers one request may go to when each leaves unread. */
    private static final int EXTRA_ATTEMPTS = 3;

    private final PoolOptions options;
    private final WorkerFactory factory;
    private final PoolMeter meter;
    /** Fair, so that waiting requests get workers in arrival order. */
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition freed = lock.newCondition();
    /** allocate_timeout of the requests waiting on {@link #freed}. */
    private final WaitDeadlines waitDeadlines;
    /** Idle, ready workers; the head is lent out next. Guarded by {@link #lock}. */
    private final ArrayDeque<WorkerProcess> idle = new ArrayDeque<>();
    /** The workers that count toward the target. */
    private final Set<WorkerProcess> workers = ConcurrentHashMap.newKeySet();
    /** Workers being replaced by a reset (or running a debug-mode request): listed, but not counted, not reused. */
    private final Set<WorkerProcess> outgoing = ConcurrentHashMap.newKeySet();
    private final AtomicInteger target;
    /** Workers being started by {@link #topUp()}. Guarded by {@link #lock}. */
    private int starting;
    /** Requests inside the pool, waiting or running (for max_queue_size). */
    private final AtomicInteger inside = new AtomicInteger();
    /** Workers in a row that died before they answered anything. */
    private final AtomicInteger deathStreak = new AtomicInteger();
    /** One reset, add or remove at a time. */
    private final ReentrantLock resizing = new ReentrantLock();
    private volatile Supervisor supervisor;
    private volatile IdleOutputWatch idleWatch;
    private volatile boolean closed;

    public WorkerPool(PoolOptions options, WorkerFactory factory) {
        this(options, factory, PoolMeter.NONE);
    }

    /** @param meter told of every worker the pool retires (for restart metrics) */
    public WorkerPool(PoolOptions options, WorkerFactory factory, PoolMeter meter) {
        this.options = options;
        this.factory = factory;
        this.meter = meter;
        this.target = new AtomicInteger(options.numWorkers());
        this.waitDeadlines = new WaitDeadlines(lock, freed, options.allocateTimeout());
    }

    /** Starts {@code num_workers} workers in parallel; if any fails to start, stops the others and throws. */
    public void start() throws WorkerException {
        List<WorkerProcess> started = startAll(options.numWorkers());
        started.forEach(this::admit);
        LOG.info("workers started", "num_workers", options.numWorkers(),
                "pids", started.stream().map(w -> String.valueOf(w.pid())).toList());
        options.supervisor().ifPresent(s -> supervisor = Supervisor.start(this, s));
        idleWatch = IdleOutputWatch.start(this);
    }

    /** Starts {@code n} workers in parallel: all of them, or none (the ones that started are killed) and the first error. */
    private List<WorkerProcess> startAll(int n) throws WorkerException {
        List<Future<WorkerProcess>> starting = new ArrayList<>();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                starting.add(starters.submit(factory::start));
            }
        }
        List<WorkerProcess> started = new ArrayList<>();
        WorkerException failure = collectStarts(starting, started);
        if (failure != null) {
            started.forEach(WorkerProcess::kill);
            throw failure;
        }
        return started;
    }

    /** Waits for every start, adds the workers that started to {@code started}, and returns the first failure. */
    private static WorkerException collectStarts(List<Future<WorkerProcess>> starts, List<WorkerProcess> started) {
        WorkerException failure = null;
        for (Future<WorkerProcess> f : starts) {
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

    /** Runs one request on a free worker and returns its reply. */
    @Override
    public Payload exec(Payload request) throws WorkerException {
        return run(request, false, ExecObserver.NONE);
    }

    @Override
    public Payload exec(Payload request, ExecObserver observer) throws WorkerException {
        return run(request, false, observer);
    }

    /** Delivers a CLOSE event; the worker's answer, if any, is dropped (see {@link WorkerProcess#execClose}). */
    @Override
    public void execClose(Payload closeEvent) throws WorkerException {
        run(closeEvent, true, ExecObserver.NONE);
    }

    @Override
    public void execClose(Payload closeEvent, ExecObserver observer) throws WorkerException {
        run(closeEvent, true, observer);
    }

    private Payload run(Payload request, boolean closeEvent, ExecObserver observer) throws WorkerException {
        if (closed) {
            throw poolClosed();
        }
        if (options.debug()) {
            return runOnFreshWorker(request, closeEvent);
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
                WorkerProcess worker = take(options.allocateTimeout());
                long lent = System.nanoTime();
                observer.waited(lent - asked);
                try {
                    Payload reply = execOn(worker, request, closeEvent);
                    observer.worked(System.nanoTime() - lent);
                    deathStreak.set(0);
                    if (release(worker) && Thread.currentThread().isVirtual()) {
                        // the worker went to a request that waited: let it write to the worker before this
                        // thread writes its reply to the client, so the worker idles as little as possible
                        Thread.yield();
                    }
                    return reply;
                } catch (WorkerException e) {
                    if (!handleFailure(worker, e)) {
                        throw e;
                    }
                    if (worker.served() == 0 && ++fruitless >= options.numWorkers() + EXTRA_ATTEMPTS) {
                        throw new WorkerException(e.kind(), e.pid(), e.delivered(), "gave up after " + fruitless
                                + " fresh workers left without answering; last: " + e.getMessage(), e);
                    }
                }
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    private Payload execOn(WorkerProcess worker, Payload request, boolean closeEvent) throws WorkerException {
        if (closeEvent) {
            worker.execClose(request, options.execTtl());
            return null;
        }
        return worker.exec(request, options.execTtl());
    }

    /** Puts the worker where its failure sends it; true when the request may run again on another worker. */
    private boolean handleFailure(WorkerProcess worker, WorkerException e) {
        switch (e.kind()) {
            case SOFT_JOB, STREAM_REFUSED -> {
                release(worker);
                return false;
            }
            case STOP_REQUESTED -> {
                retire(worker, WorkerState.INVALID, "worker asked to be stopped", false);
                return true; // upstream runs the same request again on another worker
            }
            case EXEC_TTL -> {
                retire(worker, WorkerState.EXEC_TTL_REACHED, e.getMessage(), true);
                return false;
            }
            default -> {
                boolean cleanExit = !e.delivered() && worker.state() == WorkerState.STOPPED;
                if (cleanExit && worker.served() == 0) {
                    deathStreak.incrementAndGet(); // quits without ever answering: restarts back off
                }
                retire(worker, null, e.getMessage(), !cleanExit);
                return !e.delivered(); // the request never reached the dead worker: another one can take it
            }
        }
    }

    /** Debug mode: a brand-new worker per request, stopped right after it. */
    private Payload runOnFreshWorker(Payload request, boolean closeEvent) throws WorkerException {
        WorkerProcess worker = factory.start();
        outgoing.add(worker);
        try {
            return execOn(worker, request, closeEvent);
        } finally {
            outgoing.remove(worker);
            retireAndStop(worker);
        }
    }

    /** The head of the idle FIFO, waiting up to {@code timeout} for one. */
    private WorkerProcess take(Duration timeout) throws WorkerException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean waiting = false;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw poolClosed();
                }
                WorkerProcess worker = idle.pollFirst();
                if (worker != null) {
                    if (worker.isAlive() && worker.state() == WorkerState.READY && !worker.isRetired()) {
                        worker.lend(true);
                        return worker;
                    }
                    if (!worker.isAlive()) {
                        dropDead(worker);
                    }
                    continue;
                }
                if (deadline - System.nanoTime() <= 0) {
                    throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false,
                            "static_pool_exec: NoFreeWorkers: no free worker within allocate_timeout="
                                    + timeout.toMillis() + "ms (" + workers.size() + " workers, all busy)");
                }
                if (!waiting) {
                    waitDeadlines.enter(deadline);
                    waiting = true;
                }
                freed.await(); // untimed: waitDeadlines wakes this request when its allocate_timeout is up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerException(WorkerException.Kind.NO_FREE_WORKERS, 0, false, "interrupted while waiting for a worker");
        } finally {
            if (waiting) {
                waitDeadlines.leave(deadline);
            }
            lock.unlock();
        }
    }

    private WorkerException poolClosed() {
        return new WorkerException(WorkerException.Kind.POOL_CLOSED, 0, false, "the worker pool is shutting down");
    }

    /** A worker found dead while idle: replaced (off this thread, which may hold the lock). */
    private void dropDead(WorkerProcess worker) {
        Thread.ofVirtual().name("drop-" + worker.pid()).start(
                () -> retire(worker, null, "process exited while idle", false));
    }

    /** Back to the idle FIFO, unless it is due for replacement; true when a waiting request was woken for it. */
    private boolean release(WorkerProcess worker) {
        if (!worker.isAlive()) {
            retire(worker, WorkerState.STOPPED, "process exited after its request", false);
            return false;
        }
        if (closed) {
            retireAndStop(worker);
            return false;
        }
        if (outgoing.contains(worker)) {
            retire(worker, WorkerState.DESTROYED, "reset", false);
            return false;
        }
        if (options.maxJobs() > 0 && worker.numExecs() >= options.maxJobs()) {
            retire(worker, WorkerState.MAX_JOBS_REACHED, "max_jobs reached", false);
            return false;
        }
        WorkerProcess.Recycle mark = worker.recycleMark();
        if (mark != null) {
            retire(worker, mark.state(), mark.reason(), false);
            return false;
        }
        worker.lend(false);
        if (!worker.isAlive()) { // died just now: the exit handler may have skipped it as lent
            retire(worker, WorkerState.STOPPED, "process exited after its request", false);
            return false;
        }
        lock.lock();
        try {
            if (worker.isRetired()) {
                return false;
            }
            boolean waited = lock.hasWaiters(freed);
            idle.addLast(worker);
            freed.signal();
            return waited;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a worker out of service for good; the old one stops in the background (or is already dead) and, unless
     * it left on purpose (reset, removal), the pool starts another.
     *
     * @param state the state it leaves in, or null to keep the one it has
     * @param fault whether it failed (logged as a warning) rather than being recycled
     */
    private void retire(WorkerProcess worker, WorkerState state, String reason, boolean fault) {
        if (!worker.retire()) {
            return;
        }
        if (state != null) {
            worker.setState(state);
        }
        lock.lock();
        try {
            idle.remove(worker);
        } finally {
            lock.unlock();
        }
        boolean counted = workers.remove(worker);
        outgoing.remove(worker);
        meter.retired(worker.state());
        if (fault) {
            if (worker.served() == 0) {
                deathStreak.incrementAndGet();
            }
            LOG.warn("worker killed and replaced", "pid", worker.pid(), "state", worker.state().statusStr(),
                    "reason", reason);
        } else {
            LOG.info(counted ? "replacing worker" : "stopping worker", "pid", worker.pid(),
                    "state", worker.state().statusStr(), "reason", reason, "execs", worker.numExecs());
        }
        Thread.ofVirtual().name("retire-" + worker.pid()).start(() -> {
            if (worker.isAlive()) {
                worker.stop();
            }
        });
        topUp();
    }

    /** Out of service for good, stopped off this thread (stop frame, then SIGKILL after destroy_timeout). */
    private static void retireAndStop(WorkerProcess worker) {
        worker.retire();
        Thread.ofVirtual().name("stop-" + worker.pid()).start(worker::stop);
    }

    private void admit(WorkerProcess worker) {
        workers.add(worker);
        worker.onExit(code -> exited(worker, code));
        if (closed) {
            retireAndStop(worker);
            return;
        }
        lock.lock();
        try {
            idle.addLast(worker);
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void exited(WorkerProcess worker, int exitCode) {
        if (closed || worker.isRetired()) {
            workers.remove(worker);
            outgoing.remove(worker);
            return;
        }
        if (worker.isLent()) {
            return; // its request fails or ends now; that path retires it with the better reason
        }
        worker.setState(exitCode == 0 ? WorkerState.STOPPED : WorkerState.ERRORED);
        retire(worker, null, "process exited with code " + exitCode + stderrHint(worker), exitCode != 0);
    }

    private static String stderrHint(WorkerProcess worker) {
        String stderr = worker.recentStderr();
        if (stderr.isEmpty()) {
            return "";
        }
        String last = stderr.substring(stderr.lastIndexOf('\n') + 1);
        return "; last stderr line: " + last;
    }

    /** Starts workers in the background until the pool is back at its target. */
    private void topUp() {
        lock.lock();
        try {
            while (!closed && workers.size() + starting < target.get()) {
                starting++;
                Thread.ofVirtual().name("respawn").start(this::startReplacement);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One replacement worker, retried with a growing pause until it starts, the pool closes or shrinks. */
    private void startReplacement() {
        Duration pause = FIRST_RETRY;
        sleep(backoff());
        while (!closed) {
            try {
                WorkerProcess fresh = factory.start();
                boolean surplus;
                lock.lock();
                try {
                    starting--;
                    // a reset or removal may have filled or shrunk the pool meanwhile
                    surplus = workers.size() >= target.get();
                } finally {
                    lock.unlock();
                }
                if (surplus) {
                    LOG.info("replacement no longer needed; stopping it", "pid", fresh.pid());
                    retireAndStop(fresh);
                    return;
                }
                admit(fresh);
                LOG.info("worker started", "pid", fresh.pid());
                return;
            } catch (WorkerException e) {
                LOG.error("failed to start a replacement worker; retrying", "retry_in", pause, "error", e.getMessage());
                sleep(pause);
                pause = pause.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause.multipliedBy(2);
            }
        }
        lock.lock();
        try {
            starting--;
        } finally {
            lock.unlock();
        }
    }

    /** Zero, unless workers keep dying before they answer anything: then a pause that doubles up to 5s. */
    private Duration backoff() {
        int streak = deathStreak.get();
        if (streak < DEATHS_BEFORE_BACKOFF) {
            return Duration.ZERO;
        }
        int doublings = Math.min(streak - DEATHS_BEFORE_BACKOFF, 6);
        Duration pause = FIRST_RETRY.multipliedBy(1L << doublings);
        pause = pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause;
        LOG.warn("workers keep dying before they answer; restart backs off", "deaths_in_a_row", streak,
                "delay", pause);
        return pause;
    }

    private static void sleep(Duration pause) {
        if (pause.isZero()) {
            return;
        }
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The workers currently in the pool (including ones a reset is replacing), by pid. Empty in debug mode. */
    public List<WorkerInfo> workers() {
        if (options.debug()) {
            return List.of();
        }
        return Stream.concat(workers.stream(), outgoing.stream()).distinct().map(WorkerProcess::info)
                .sorted(Comparator.comparingLong(WorkerInfo::pid)).toList();
    }

    /** Live worker objects, for the supervisor. */
    List<WorkerProcess> liveWorkers() {
        return List.copyOf(workers);
    }

    /**
     * Applies a supervisor verdict: an idle worker leaves now; a busy one is marked and leaves when its request ends.
     */
    void recycle(WorkerProcess worker, WorkerProcess.Recycle mark) {
        boolean wasIdle;
        lock.lock();
        try {
            wasIdle = idle.remove(worker);
        } finally {
            lock.unlock();
        }
        if (wasIdle) {
            retire(worker, mark.state(), mark.reason(), false);
        } else {
            worker.markForRecycle(mark);
        }
    }

    /**
     * Idle workers that wrote output nobody asked for leave the idle FIFO, are killed and replaced: nothing they
     * wrote is read as a later request's reply (see {@link IdleOutputWatch}).
     */
    void evictIdleWriters() {
        List<WorkerProcess> writers = new ArrayList<>();
        List<Integer> bytes = new ArrayList<>();
        lock.lock();
        try {
            idle.removeIf(w -> {
                int waiting = w.outputWhileIdle();
                if (waiting > 0) {
                    writers.add(w);
                    bytes.add(waiting);
                }
                return waiting > 0;
            });
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < writers.size(); i++) {
            WorkerProcess w = writers.get(i);
            // retired before the kill, so that the exit handler does not report it as a plain exit
            retire(w, WorkerState.ERRORED, w.outputWhileIdleReason(bytes.get(i)), true);
            w.kill();
        }
    }

    /** Whether the worker waits in the idle FIFO right now. */
    boolean isIdle(WorkerProcess worker) {
        lock.lock();
        try {
            return idle.contains(worker);
        } finally {
            lock.unlock();
        }
    }

    /** Requests inside the pool, waiting for a worker or running on one (what {@code max_queue_size} limits). */
    public int queueSize() {
        return inside.get();
    }

    public PoolOptions options() {
        return options;
    }

    /**
     * One more worker; the pool's target grows by one. Debug mode: nothing happens (upstream).
     *
     * @throws WorkerException START_FAILED when the worker cannot start (the target is unchanged)
     */
    public void addWorker() throws WorkerException {
        if (options.debug()) {
            LOG.warn("debug mode: workers are started per request; add worker ignored");
            return;
        }
        resizing.lock();
        try {
            if (closed) {
                throw poolClosed();
            }
            WorkerProcess fresh = factory.start();
            target.incrementAndGet();
            admit(fresh);
            LOG.info("worker added", "pid", fresh.pid(), "num_workers", target.get());
        } finally {
            resizing.unlock();
        }
    }

    /**
     * One worker fewer: an idle worker (waited for up to {@code destroy_timeout}) is stopped and the target shrinks.
     * On the last worker this succeeds without removing anything, with a warning (upstream P6). Debug mode: nothing.
     *
     * @throws WorkerException NO_FREE_WORKERS when no worker became idle within destroy_timeout
     */
    public void removeWorker() throws WorkerException {
        if (options.debug()) {
            LOG.warn("debug mode: workers are started per request; remove worker ignored");
            return;
        }
        resizing.lock();
        try {
            if (target.get() <= 1) {
                LOG.warn("can't remove the last worker", "num_workers", target.get());
                return;
            }
            WorkerProcess worker = take(options.destroyTimeout());
            target.decrementAndGet();
            retire(worker, WorkerState.DESTROYED, "removed", false);
            worker.awaitExit(options.destroyTimeout());
            LOG.info("worker removed", "pid", worker.pid(), "num_workers", target.get());
        } finally {
            resizing.unlock();
        }
    }

    /**
     * Replaces every worker. Idle workers stop at once; busy ones finish their request first (up to
     * {@code reset_timeout}, then they are killed); new requests wait for the fresh workers, which start in
     * parallel. No request waiting in the pool fails because of a reset unless it outwaits its allocate_timeout.
     *
     * @throws WorkerException START_FAILED when fresh workers cannot start (the pool keeps retrying in the background)
     */
    public void reset() throws WorkerException {
        if (options.debug()) {
            LOG.info("debug mode: every request gets a fresh worker; nothing to reset");
            return;
        }
        resizing.lock();
        try {
            if (closed) {
                throw poolClosed();
            }
            long deadline = System.nanoTime() + options.resetTimeout().toNanos();
            List<WorkerProcess> old = List.copyOf(workers);
            LOG.info("reset: replacing every worker", "workers", old.size(), "reset_timeout", options.resetTimeout());
            List<WorkerProcess> idleOld = new ArrayList<>();
            lock.lock();
            try {
                outgoing.addAll(old);
                workers.removeAll(old);
                idle.removeIf(w -> old.contains(w) && idleOld.add(w));
                starting += target.get(); // topUp must not start more while the reset does
            } finally {
                lock.unlock();
            }
            idleOld.forEach(w -> retire(w, WorkerState.DESTROYED, "reset", false));
            WorkerException failure = startFresh(target.get());
            awaitGone(old, deadline);
            if (failure != null) {
                throw new WorkerException(WorkerException.Kind.START_FAILED, failure.pid(), false,
                        "reset: fresh workers failed to start (the pool keeps retrying): " + failure.getMessage(), failure);
            }
            LOG.info("reset: done", "pids", workers().stream().map(w -> String.valueOf(w.pid())).toList());
        } finally {
            resizing.unlock();
        }
    }

    /** Starts {@code n} workers in parallel, admitting each as it is ready; failures are left to {@link #topUp()}. */
    private WorkerException startFresh(int n) {
        List<Future<WorkerProcess>> fresh = new ArrayList<>();
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                fresh.add(starters.submit(() -> {
                    WorkerProcess w = factory.start();
                    admit(w);
                    return w;
                }));
            }
        }
        lock.lock();
        try {
            starting -= n;
        } finally {
            lock.unlock();
        }
        WorkerException failure = collectStarts(fresh, new ArrayList<>());
        topUp();
        return failure;
    }

    /** Waits until every one of {@code old} has exited; past the deadline the rest are killed. */
    private void awaitGone(List<WorkerProcess> old, long deadline) {
        for (WorkerProcess w : old) {
            awaitExitOrKill(w, deadline, "reset: worker still busy after reset_timeout, killing it", "reset_timeout",
                    options.resetTimeout());
        }
    }

    /** Waits until {@code deadline} (System.nanoTime) for the worker to exit; then kills it, saying why. */
    private static void awaitExitOrKill(WorkerProcess w, long deadline, String why, String key, Duration limit) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left > 0 && w.awaitExit(Duration.ofMillis(left)) || !w.isAlive()) {
            return;
        }
        LOG.warn(why, "pid", w.pid(), key, limit);
        w.kill();
        w.awaitExit(Duration.ofSeconds(1));
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
        waitDeadlines.stop();
        IdleOutputWatch watch = idleWatch;
        if (watch != null) {
            watch.stop();
        }
        Supervisor s = supervisor;
        if (s != null) {
            s.stop();
        }
        List<WorkerProcess> idleNow = new ArrayList<>();
        lock.lock();
        try {
            idleNow.addAll(idle);
            idle.clear();
            freed.signalAll(); // every waiting request sees the pool closed
        } finally {
            lock.unlock();
        }
        List<WorkerProcess> all = Stream.concat(workers.stream(), outgoing.stream()).distinct().toList();
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (WorkerProcess w : idleNow) {
                w.retire();
                stoppers.submit(w::stop);
            }
        }
        long deadline = System.nanoTime() + options.destroyTimeout().toNanos();
        for (WorkerProcess w : all) {
            awaitExitOrKill(w, deadline, "worker still busy after destroy_timeout, killing it", "destroy_timeout",
                    options.destroyTimeout());
            w.setState(WorkerState.DESTROYED);
        }
        workers.clear();
        outgoing.clear();
        LOG.info("worker pool stopped");
    }
}
