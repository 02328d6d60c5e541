package io.rrtcp.worker;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each waiter's own deadline, without a timed park per waiter. A virtual thread in a timed wait hands its deadline to
 * the JDK's timer and takes it back when it is woken: work for every request that queues, which is every request
 * when the pool is the bottleneck (measured: it doubled the server's CPU per message, see docs/benchmarks.md). Here
 * a waiter waits untimed and files its deadline; one watch thread sleeps until the earliest deadline of all and
 * interrupts the waiters whose deadline has passed. Deadlines may differ per waiter (requests with allocate_timeout,
 * a removal with destroy_timeout): they are kept in order of time, not of arrival.
 */
final class WaitDeadlines {
    /** One waiting thread and its deadline ({@link System#nanoTime()}). Fields guarded by the lock. */
    static final class Waiter implements Comparable<Waiter> {
        private final Thread thread;
        private final long deadline;
        private boolean expired;
        private boolean filed = true;

        private Waiter(Thread thread, long deadline) {
            this.thread = thread;
            this.deadline = deadline;
        }

        @Override
        public int compareTo(Waiter o) {
            return Long.compare(deadline - o.deadline, 0);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition earlier = lock.newCondition();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>();
    private Thread watch;
    private boolean stopped;

    /** Files the current thread's deadline; it is interrupted once the deadline has passed, until {@link #leave}. */
    Waiter enter(long deadline) {
        Waiter w = new Waiter(Thread.currentThread(), deadline);
        lock.lock();
        try {
            waiters.add(w);
            if (watch == null && !stopped) {
                watch = Thread.ofVirtual().name("wait-deadlines").start(this::watch);
            } else if (waiters.peek() == w) {
                earlier.signal(); // the watch sleeps until a later deadline
            }
        } finally {
            lock.unlock();
        }
        return w;
    }

    /**
     * Withdraws the deadline; no interrupt comes for it afterwards. Returns whether it expired (the watch interrupted
     * or is about to have interrupted the thread): the caller then clears the interrupt it was sent.
     */
    boolean leave(Waiter w) {
        lock.lock();
        try {
            if (w.filed) {
                waiters.remove(w);
                w.filed = false;
            }
            return w.expired;
        } finally {
            lock.unlock();
        }
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            earlier.signal();
        } finally {
            lock.unlock();
        }
    }

    private void watch() {
        lock.lock();
        try {
            while (!stopped) {
                long now = System.nanoTime();
                Waiter first;
                while ((first = waiters.peek()) != null && first.deadline - now <= 0) {
                    waiters.poll();
                    first.filed = false;
                    first.expired = true;
                    first.thread.interrupt();
                }
                if (first == null) {
                    earlier.await();
                } else {
                    earlier.awaitNanos(first.deadline - now);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } finally {
            lock.unlock();
        }
    }
}
