package io.rrtcp.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clock and the scheduler of the worker package, passed in so that retries, back-off, supervisor limits and
 * watchdogs can be tested against a clock that a test moves. {@link #system()} is the real one.
 */
public interface TimeSource {
    /** Monotonic nanoseconds, for durations (as {@link System#nanoTime()}). */
    long nanoTime();

    /** Wall-clock time, for what is reported (a worker's creation time). */
    Instant now();

    /** Runs {@code task} once after {@code delay}, on a thread of its own (tasks may block). */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, the first time one period from now. */
    Cancellable every(Duration period, Runnable task);

    /** Something scheduled; cancelling what already ran does nothing. */
    interface Cancellable {
        void cancel();
    }

    static TimeSource system() {
        return SystemTime.INSTANCE;
    }

    /** One daemon timer thread that hands each due task to a virtual thread, so no task holds up another. */
    final class SystemTime implements TimeSource {
        static final SystemTime INSTANCE = new SystemTime();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rr-tcp-worker-timer");
            t.setDaemon(true);
            return t;
        });

        private SystemTime() {
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name("timer-task").start(task),
                    Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public Cancellable every(Duration period, Runnable task) {
            long ms = Math.max(1, period.toMillis());
            ScheduledFuture<?> f = timer.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }
    }
}
