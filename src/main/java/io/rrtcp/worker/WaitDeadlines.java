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
                long now = System.nanoTime();
                Long first = deadlines.peekFirst();
                if (first != null && first - now <= 0) {
                    freed.signalAll(); // the due ones give up (and leave); the others wait again
                }
                sleep = untilNextDeadline(now);
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

    /**
     * Until the first deadline still ahead; with none, one timeout, since a request that starts waiting now is due no
     * sooner. Deadlines already due belong to requests that were woken and are leaving.
     */
    private long untilNextDeadline(long now) {
        for (long d : deadlines) {
            if (d - now > 0) {
                return d - now;
            }
        }
        return timeoutNanos;
    }
}
