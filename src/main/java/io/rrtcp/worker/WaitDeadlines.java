package io.rrtcp.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code allocate_timeout} for requests waiting for a worker, without a timed wait per request.
 *
 * <p>A virtual thread in a timed wait hands its deadline to the JDK's timer thread and takes it back when it is woken:
 * work and a thread wake-up for every request that queues, which is every request when the pool is the bottleneck.
 * Measured on the 2-core benchmark box (docs/benchmarks.md): 2–10 µs of server CPU per message. Here a waiting request
 * waits untimed and files its deadline; one watch thread sleeps until the earliest deadline and then wakes the waiters,
 * each of which checks its own. All requests of a pool wait with the same timeout, so deadlines are filed in order and
 * the earliest is the first.
 *
 * <p>{@link #enter} and {@link #leave} are called with {@code lock} held; the watch starts with the first wait.
 */
final class WaitDeadlines {
    private final ReentrantLock lock;
    private final Condition freed;
    private final long timeoutNanos;
    /** Deadlines (System.nanoTime()) of the requests waiting now, earliest first. Guarded by {@code lock}. */
    private final ArrayDeque<Long> deadlines = new ArrayDeque<>();
    private volatile boolean stopped;
    /** Started by the first {@link #enter}; written under {@code lock}, read by {@link #stop}. */
    private volatile Thread watch;

    WaitDeadlines(ReentrantLock lock, Condition freed, Duration timeout) {
        this.lock = lock;
        this.freed = freed;
        this.timeoutNanos = Math.max(1, timeout.toNanos());
    }

    void stop() {
        stopped = true;
        Thread w = watch;
        if (w != null) {
            w.interrupt();
        }
    }

    /** Files a waiting request's deadline; {@link #leave} takes it back. */
    void enter(long deadline) {
        deadlines.addLast(deadline);
        if (watch == null && !stopped) {
            watch = Thread.ofVirtual().name("allocate-timeout").start(this::watch);
        }
    }

    void leave(long deadline) {
        deadlines.removeFirstOccurrence(deadline);
    }

    private void watch() {
        while (!stopped) {
            long sleep;
            lock.lock();
            try {
                Long first = deadlines.peekFirst();
                long now = System.nanoTime();
                if (first != null && first - now <= 0) {
                    freed.signalAll(); // the due ones give up; the others wait again
                    sleep = nextSleep(deadlines, now);
                } else {
                    // with nobody waiting, a request arriving now is due one timeout from now at the earliest
                    sleep = first == null ? timeoutNanos : first - now;
                }
            } finally {
                lock.unlock();
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.max(sleep, 1_000_000)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** After waking the waiters: until the first deadline still ahead (the due ones are leaving), else a timeout. */
    private long nextSleep(ArrayDeque<Long> pending, long now) {
        for (long d : pending) {
            if (d - now > 0) {
                return d - now;
            }
        }
        return 1_000_000; // the due waiters have not left yet: look again soon
    }
}
