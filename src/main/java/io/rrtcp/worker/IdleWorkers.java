package io.rrtcp.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Idle workers, lent first in, first out. A {@link Semaphore} counts them and a deque holds them: a request that finds
 * one idle takes it at once. A request that finds none joins the line of {@link Waiter}s, and a worker put back goes
 * straight to the first one in line instead of becoming idle ({@link #put} returns it; the caller hands it over). So
 * a busy pool passes each worker from one request to the next without a permit in between, and the thread that puts
 * it back can run the next request itself ({@link PoolExecutor}'s chains).
 *
 * <p>Each waiter has its own deadline, so waiters with different timeouts (requests with allocate_timeout, a removal
 * with destroy_timeout) never hold each other up. The wait is untimed, its deadline watched by {@link WaitDeadlines}:
 * a timed park per waiter doubled the server's CPU per message (docs/benchmarks.md).
 *
 * <p>A worker retired while idle stays in the deque as a tombstone: its permit stays too, and the next taker, who
 * finds it unusable, discards it and takes the next. Permits never outnumber the deque (put adds before it releases;
 * take acquires before it polls), so a taker holding a permit always finds an element. Permits are released and the
 * line is joined only under the lock, so a worker is never left idle while a waiter is in line.
 */
final class IdleWorkers<T> {
    private final Semaphore available = new Semaphore(0);
    private final ConcurrentLinkedDeque<T> deque = new ConcurrentLinkedDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** Waiters in arrival order; guarded by the lock. */
    private final ArrayDeque<Waiter<T>> line = new ArrayDeque<>();
    private final WaitDeadlines deadlines = new WaitDeadlines();
    private volatile boolean closed;
    /** Whether a worker put back is run by the putting thread for a waiter that {@link Waiter#chainable allows it}. */
    private final Predicate<T> runElsewhere;

    IdleWorkers() {
        this(item -> false);
    }

    /** @param runElsewhere which workers put back are run by the putting thread for a chainable waiter */
    IdleWorkers(Predicate<T> runElsewhere) {
        this.runElsewhere = runElsewhere;
    }

    /** Thrown to waiters once {@link #close()} has been called. */
    static final class ClosedException extends Exception {
        ClosedException() {
            super("closed", null, false, false);
        }
    }

    /**
     * One taker in line. A plain waiter is woken when a worker is given to it and takes it itself. A {@link #chainable}
     * one given a worker that {@code runElsewhere} picks {@link #runsElsewhere() runs elsewhere}: it is not woken;
     * whoever put the worker back runs it and settles it.
     */
    static class Waiter<T> {
        static final int WAITING = 0;
        static final int GIVEN = 1;
        static final int SETTLED = 2;
        static final int GAVE_UP = 3;
        static final int CLOSED = 4;

        /** The thread that waits; set when it joins the line. */
        private volatile Thread thread;
        private volatile int state = WAITING;
        private volatile T item;
        /** Written before the state says GIVEN. */
        private boolean elsewhere;

        /** Whether the giver may run it (a request) rather than wake it. */
        boolean chainable() {
            return false;
        }

        /** True when the worker given to it is run by the giver, who then {@link #settle settles} it. */
        final boolean runsElsewhere() {
            return elsewhere;
        }

        /** The worker it was given. */
        T item() {
            return item;
        }

        /** Ends the wait of a waiter that runs elsewhere: its thread wakes and reads the outcome. */
        void settle() {
            state = SETTLED;
            LockSupport.unpark(thread);
        }
    }

    /**
     * Back: to the first waiter in line, who is returned, or idle at the tail (null). A plain waiter is woken to take
     * it; one that {@link Waiter#runsElsewhere() runs elsewhere} is for the caller to run.
     */
    Waiter<T> put(T item) {
        Waiter<T> first;
        lock.lock();
        try {
            first = line.pollFirst();
            if (first == null) {
                deque.addLast(item);
                available.release();
                return null;
            }
            first.item = item;
            first.elsewhere = first.chainable() && runElsewhere.test(item);
            first.state = Waiter.GIVEN;
        } finally {
            lock.unlock();
        }
        if (!first.runsElsewhere()) {
            LockSupport.unpark(first.thread);
        }
        return first;
    }

    /**
     * The first usable item within {@code timeout}, or null when none came. Items {@code usable} rejects are dropped
     * (tombstones); {@code usable} runs on the taking thread and may claim the item.
     */
    T take(Duration timeout, Predicate<T> usable) throws InterruptedException, ClosedException {
        return take(System.nanoTime() + timeout.toNanos(), usable, new Waiter<>());
    }

    /**
     * As {@link #take(Duration, Predicate)}, waiting in line as {@code waiter}. Null also when a waiter that runs
     * elsewhere was settled (ran) by the thread that gave it a worker.
     *
     * @param deadline {@link System#nanoTime()} by which a worker must have been given
     */
    T take(long deadline, Predicate<T> usable, Waiter<T> waiter) throws InterruptedException, ClosedException {
        while (true) {
            T item = idleOrInLine(waiter, usable, false, deadline);
            if (item != null) {
                return item;
            }
            if (waiter.state == Waiter.GAVE_UP || !awaitTurn(waiter, deadline) || waiter.runsElsewhere()) {
                return null;
            }
            T given = waiter.item;
            if (usable.test(given)) {
                return given;
            }
        }
    }

    /**
     * An idle usable item, or null with {@code waiter} in line (at its head or tail), or null and GAVE_UP when the
     * deadline (if any) has passed. The line is joined under the lock that {@link #put} releases permits under, so a
     * worker is never left idle while a waiter is in line.
     */
    private T idleOrInLine(Waiter<T> waiter, Predicate<T> usable, boolean atHead, Long deadline) throws ClosedException {
        while (true) {
            T item = takeIdle(usable);
            if (item != null) {
                return item;
            }
            lock.lock();
            try {
                if (closed) {
                    throw new ClosedException();
                }
                if (available.availablePermits() > 0) {
                    continue; // one came back before the lock: take it rather than wait
                }
                if (deadline != null && deadline - System.nanoTime() <= 0) {
                    waiter.state = Waiter.GAVE_UP;
                    return null;
                }
                if (!atHead) {
                    waiter.thread = Thread.currentThread();
                }
                waiter.state = Waiter.WAITING;
                if (atHead) {
                    line.addFirst(waiter);
                } else {
                    line.addLast(waiter);
                }
                return null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** An idle item, claimed, or null when none is idle now. */
    T takeIdle(Predicate<T> usable) throws ClosedException {
        while (true) {
            if (closed) {
                throw new ClosedException();
            }
            if (!available.tryAcquire()) {
                return null;
            }
            T item = deque.pollFirst();
            if (item != null && usable.test(item)) {
                return item;
            }
        }
    }

    /**
     * Waits until the waiter is given a worker (and, for one that runs elsewhere, settled), the deadline passes while
     * it is still in line (false), or the pool closes.
     */
    private boolean awaitTurn(Waiter<T> waiter, long deadline) throws InterruptedException, ClosedException {
        WaitDeadlines.Waiter watch = deadlines.enter(deadline);
        boolean interrupted = false;
        try {
            while (true) {
                int state = waiter.state;
                if (state == Waiter.CLOSED) {
                    throw new ClosedException();
                }
                if (state == Waiter.SETTLED || state == Waiter.GIVEN && !waiter.runsElsewhere()) {
                    return true;
                }
                if (state == Waiter.WAITING && deadline - System.nanoTime() <= 0 && giveUp(waiter)) {
                    return false;
                }
                LockSupport.park(this);
                if (Thread.interrupted() && !deadlines.leave(watch)) {
                    // not the deadline's interrupt: a waiter still in line leaves with it; one given a worker
                    // finishes and passes it on
                    if (giveUp(waiter)) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (deadlines.leave(watch)) {
                Thread.interrupted(); // the deadline came as the wait ended: clear the interrupt it sent
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Leaves the line; false when a worker was given first. */
    private boolean giveUp(Waiter<T> waiter) {
        lock.lock();
        try {
            if (waiter.state != Waiter.WAITING) {
                return false;
            }
            line.remove(waiter);
            waiter.state = Waiter.GAVE_UP;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Back in line at the head, for a waiter that runs elsewhere whose given worker turned out unusable; an idle
     * usable item instead, when there is one.
     */
    T requeue(Waiter<T> waiter, Predicate<T> usable) throws ClosedException {
        return idleOrInLine(waiter, usable, true, null);
    }

    /**
     * Closes: every waiter and every later taker gets a {@link ClosedException}. Returns the items that were idle
     * (tombstones included).
     */
    List<T> close() {
        List<Waiter<T>> waiting;
        lock.lock();
        try {
            closed = true;
            waiting = new ArrayList<>(line);
            line.clear();
            for (Waiter<T> w : waiting) {
                w.state = Waiter.CLOSED;
            }
        } finally {
            lock.unlock();
        }
        deadlines.stop();
        waiting.forEach(w -> LockSupport.unpark(w.thread));
        List<T> all = new ArrayList<>();
        for (T item; (item = deque.pollFirst()) != null; ) {
            all.add(item);
        }
        return all;
    }

    /** How many items are in the deque, tombstones included (for tests and the log). */
    int size() {
        return deque.size();
    }

    /** How many wait in line (for tests). */
    int waiting() {
        lock.lock();
        try {
            return line.size();
        } finally {
            lock.unlock();
        }
    }
}
