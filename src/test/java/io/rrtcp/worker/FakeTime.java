package io.rrtcp.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when a test says so; scheduled tasks run on the test's thread in {@link #advance}. */
final class FakeTime implements TimeSource {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong order = new AtomicLong();
    private final List<Task> tasks = new ArrayList<>();
    /** Every delay passed to {@link #schedule}, in order. */
    final List<Duration> scheduled = new ArrayList<>();

    private final class Task implements Cancellable {
        final long due;
        final long seq = order.incrementAndGet();
        final Runnable action;
        final Duration period;
        boolean cancelled;

        Task(long due, Runnable action, Duration period) {
            this.due = due;
            this.action = action;
            this.period = period;
        }

        @Override
        public void cancel() {
            synchronized (FakeTime.this) {
                cancelled = true;
                tasks.remove(this);
            }
        }
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return START.plusNanos(nanos.get());
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        scheduled.add(delay);
        Task t = new Task(nanos.get() + delay.toNanos(), task, null);
        tasks.add(t);
        return t;
    }

    @Override
    public synchronized Cancellable every(Duration period, Runnable task) {
        Task t = new Task(nanos.get() + period.toNanos(), task, period);
        tasks.add(t);
        return t;
    }

    /** Moves the clock by {@code d}, running every task that falls due on the way, in time order. */
    void advance(Duration d) {
        long end = nanos.get() + d.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= end)
                        .min(Comparator.<Task>comparingLong(t -> t.due).thenComparingLong(t -> t.seq)).orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                nanos.set(Math.max(nanos.get(), next.due));
                if (next.period != null) {
                    tasks.add(new Task(next.due + next.period.toNanos(), next.action, next.period));
                }
            }
            next.action.run();
        }
        nanos.set(end);
    }

    /** Runs what is due now (tasks scheduled with no delay). */
    void runDue() {
        advance(Duration.ZERO);
    }

    synchronized int pending() {
        return tasks.size();
    }
}
