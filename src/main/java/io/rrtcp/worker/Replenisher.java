package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Keeps the pool at its target: whatever takes a worker out makes it start another, after a pause that grows while
 * new workers keep dying before they answer anything, and with retries (growing pauses) while starts fail.
 */
final class Replenisher {
    private static final Log LOG = Log.get("pool");

    private final Roster roster;
    private final WorkerFactory factory;
    private final TimeSource time;
    private final BooleanSupplier closed;
    /** Where a fresh worker goes: admitted to the roster and the idle workers. */
    private final Consumer<Roster.Entry> admit;
    /** Where a surplus worker goes: stopped. */
    private final Consumer<Worker> surplus;
    /** Workers in a row that died before they answered anything. */
    private final AtomicInteger deathStreak = new AtomicInteger();

    Replenisher(Roster roster, WorkerFactory factory, TimeSource time, BooleanSupplier closed,
                Consumer<Roster.Entry> admit, Consumer<Worker> surplus) {
        this.roster = roster;
        this.factory = factory;
        this.time = time;
        this.closed = closed;
        this.admit = admit;
        this.surplus = surplus;
    }

    /** A worker that never answered a request died: restarts back off once this happens repeatedly. */
    void deathBeforeAnswer() {
        deathStreak.incrementAndGet();
    }

    /** A request was answered: the streak is over. */
    void answered() {
        if (deathStreak.get() != 0) {
            deathStreak.set(0);
        }
    }

    int deathsInARow() {
        return deathStreak.get();
    }

    /** Starts workers in the background until the pool is back at its target; returns how many it starts. */
    int topUp() {
        int missing = roster.claimShortfall(closed.getAsBoolean());
        if (missing == 0) {
            return 0;
        }
        int streak = deathStreak.get();
        Duration delay = Backoff.beforeRestart(streak);
        if (!delay.isZero()) {
            LOG.warn("workers keep dying before they answer; restart backs off", "deaths_in_a_row", streak,
                    "delay", delay);
        }
        for (int i = 0; i < missing; i++) {
            time.schedule(delay, () -> attempt(null));
        }
        return missing;
    }

    /** One start; on failure, another after a growing pause, until it starts or the pool closes or is full. */
    private void attempt(Duration lastPause) {
        if (closed.getAsBoolean()) {
            roster.started(null);
            return;
        }
        Worker fresh;
        try {
            fresh = factory.start();
        } catch (WorkerException e) {
            Duration pause = Backoff.afterFailedStart(lastPause);
            LOG.error("failed to start a replacement worker; retrying", "retry_in", pause, "error", e.getMessage());
            time.schedule(pause, () -> attempt(pause));
            return;
        }
        Roster.Entry entry = roster.started(fresh);
        if (entry == null) { // a reset or removal filled or shrank the pool meanwhile
            LOG.info("replacement no longer needed; stopping it", "pid", fresh.pid());
            surplus.accept(fresh);
            return;
        }
        admit.accept(entry);
        LOG.info("worker started", "pid", fresh.pid());
    }
}
