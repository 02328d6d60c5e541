package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/** A worker without a process: it answers as its {@link Behaviour} says, and "exits" when stopped or killed. */
final class FakeWorker implements Worker {
    private static final AtomicLong PIDS = new AtomicLong(40_000);

    /** What the worker does with one request. */
    interface Behaviour {
        Reply exec(FakeWorker self, Payload request) throws WorkerException;
    }

    static final Behaviour ECHO = (self, request) -> new Reply.Answer(request);

    private final long pid = PIDS.incrementAndGet();
    private final TimeSource time;
    private final Instant created;
    private final Behaviour behaviour;
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile IntConsumer onExit = code -> { };
    private volatile WorkerState state = WorkerState.READY;
    private volatile int exitCode = -1;
    private final AtomicLong execs = new AtomicLong();
    private volatile long served;
    private volatile long lastDone;
    volatile boolean stopped;
    volatile boolean killed;
    volatile long rss;
    /** Whether it says it answers slowly, so that the pool runs its waiting requests in a chain. */
    volatile boolean slow;

    FakeWorker(TimeSource time, Behaviour behaviour) {
        this.time = time;
        this.created = time.now();
        this.behaviour = behaviour;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Instant created() {
        return created;
    }

    @Override
    public long numExecs() {
        return execs.get();
    }

    @Override
    public long served() {
        return served;
    }

    @Override
    public long lastDone() {
        return lastDone;
    }

    @Override
    public WorkerState state() {
        return state;
    }

    @Override
    public boolean answersSlowly() {
        return slow;
    }

    @Override
    public boolean isAlive() {
        return exited.getCount() > 0;
    }

    @Override
    public Reply exec(Payload request, Duration execTtl) throws WorkerException {
        execs.incrementAndGet();
        state = WorkerState.WORKING;
        try {
            Reply reply = behaviour.exec(this, request);
            state = WorkerState.READY;
            if (reply instanceof Reply.Answer) {
                served++;
            }
            return reply;
        } catch (WorkerException e) {
            if (state == WorkerState.WORKING) {
                state = WorkerState.ERRORED;
            }
            throw e;
        } finally {
            lastDone = time.nanoTime();
        }
    }

    @Override
    public void execClose(Payload closeEvent, Duration execTtl) throws WorkerException {
        exec(closeEvent, execTtl);
    }

    /** The process ends with {@code code}; the pool's exit handler runs. */
    void exit(int code) {
        if (exited.getCount() == 0) {
            return;
        }
        exitCode = code;
        state = code == 0 ? WorkerState.STOPPED : WorkerState.ERRORED;
        exited.countDown();
        onExit.accept(code);
    }

    /** A failure as a dead worker that never read the request: exit code 0, the request goes elsewhere. */
    WorkerException exitBeforeReading() {
        exit(0);
        return new WorkerException(WorkerException.Kind.BROKEN, pid, false, "worker " + pid + " exited (code 0)");
    }

    /** A failure as a crash mid-request. */
    WorkerException crash() {
        exit(139);
        return new WorkerException(WorkerException.Kind.BROKEN, pid, true, "worker " + pid + " crashed");
    }

    @Override
    public void stop() {
        stopped = true;
        exit(0);
    }

    @Override
    public void kill() {
        killed = true;
        exit(137);
    }

    @Override
    public boolean awaitExit(Duration timeout) {
        try {
            return exited.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void onExit(IntConsumer action) {
        onExit = action;
        if (exited.getCount() == 0) {
            action.accept(exitCode);
        }
    }

    @Override
    public String recentStderr() {
        return "";
    }

    @Override
    public int outputWhileIdle() {
        return 0;
    }

    @Override
    public ProcStats stats() {
        return new ProcStats(rss, 0);
    }

    @Override
    public String toString() {
        return "fake worker " + pid;
    }
}
