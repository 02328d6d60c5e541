package io.rrtcp.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Idle workers, lent first in, first out: a fair {@link Semaphore} counts them and a deque holds them. A request
 * waits with its own deadline, so waiters with different timeouts (requests with allocate_timeout, a removal with
 * destroy_timeout) never hold each other up, and the semaphore's fairness hands workers out in arrival order. The
 * wait itself is untimed, its deadline watched by {@link WaitDeadlines}: {@code tryAcquire(remaining)}, the plain way,
 * doubled the server's CPU per message (docs/benchmarks.md).
 *
 * <p>A worker retired while idle stays in the deque as a tombstone: its permit stays too, and the next taker, who
 * finds it unusable, discards it and takes the next. Permits never outnumber the deque (put adds before it releases;
 * take acquires before it polls), so a taker holding a permit always finds an element.
 */
final class IdleWorkers<T> {
    private final Semaphore available = new Semaphore(0, true);
    private final ConcurrentLinkedDeque<T> deque = new ConcurrentLinkedDeque<>();
    private final WaitDeadlines deadlines = new WaitDeadlines();
    private volatile boolean closed;

    /** Thrown to waiters once {@link #close()} has been called. */
    static final class ClosedException extends Exception {
        ClosedException() {
            super("closed", null, false, false);
        }
    }

    /** Back at the tail; true when a taker was waiting for it. */
    boolean put(T item) {
        boolean waited = available.hasQueuedThreads();
        deque.addLast(item);
        available.release();
        return waited;
    }

    /**
     * The first usable item within {@code timeout}, or null when none came. Items {@code usable} rejects are dropped
     * (tombstones); {@code usable} runs on the taking thread and may claim the item.
     */
    T take(Duration timeout, Predicate<T> usable) throws InterruptedException, ClosedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (closed) {
                throw new ClosedException();
            }
            // a zero-timeout try honours the fair order (tryAcquire() would barge) and arms no timer
            if (!available.tryAcquire(0, TimeUnit.NANOSECONDS) && !awaitPermit(deadline)) {
                return null;
            }
            if (closed) {
                throw new ClosedException();
            }
            T item = deque.pollFirst();
            if (item != null && usable.test(item)) {
                return item;
            }
        }
    }

    /**
     * Closes: every waiter and every later taker gets a {@link ClosedException}. Returns the items that were idle
     * (tombstones included). Permits enough for every waiter are released, and a woken waiter passes on its own.
     */
    List<T> close() {
        closed = true;
        deadlines.stop();
        List<T> all = new ArrayList<>();
        for (T item; (item = deque.pollFirst()) != null; ) {
            all.add(item);
        }
        available.release(Integer.MAX_VALUE / 2);
        return all;
    }

    /** Waits untimed for a permit while {@link WaitDeadlines} watches the deadline; false when it passed first. */
    private boolean awaitPermit(long deadline) throws InterruptedException {
        if (deadline - System.nanoTime() <= 0) {
            return false;
        }
        WaitDeadlines.Waiter waiter = deadlines.enter(deadline);
        try {
            available.acquire();
            return true;
        } catch (InterruptedException e) {
            if (deadlines.leave(waiter)) {
                return false; // the watch's interrupt: the deadline passed
            }
            throw e;
        } finally {
            if (deadlines.leave(waiter)) {
                Thread.interrupted(); // a deadline that came just as a permit did: clear the interrupt it sent
            }
        }
    }

    /** How many items are in the deque, tombstones included (for tests and the log). */
    int size() {
        return deque.size();
    }
}
