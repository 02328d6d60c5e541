package io.rrtcp.worker;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One daemon timer thread for the worker watchdogs (handshake, stream drain), so no wait is unbounded. */
final class Timers {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rr-tcp-worker-timer");
        t.setDaemon(true);
        return t;
    });

    private Timers() {
    }

    static ScheduledFuture<?> schedule(Duration delay, Runnable action) {
        return TIMER.schedule(action, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }
}
