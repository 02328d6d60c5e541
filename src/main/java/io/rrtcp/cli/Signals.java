package io.rrtcp.cli;

import io.rrtcp.log.Log;
import io.rrtcp.worker.WorkerPool;
import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code serve} does on signals, as {@code rr serve} does where the JVM lets it. SIGINT, SIGTERM, SIGHUP and
 * SIGABRT stop gracefully (a second one exits at once with code 1); SIGUSR2 resets the workers. During start-up a
 * stop signal kills the starting workers and exits at once. SIGQUIT cannot be caught: the JVM keeps it for its thread
 * dump (with -Xrs it is not even offered to Java and kills the process with a core dump).
 */
final class Signals {
    private static final Log LOG = Log.get("rr-tcp");
    static final List<String> STOP = List.of("INT", "TERM", "HUP", "ABRT");
    /** Exit code when start-up is stopped by a signal: the server never served. */
    static final int STOPPED_DURING_START = 1;
    /** During start-up: how long no new process must appear before exiting, and the most the kill loop takes. */
    private static final java.time.Duration QUIET_FOR = java.time.Duration.ofMillis(300);
    private static final java.time.Duration QUIET_KILL_LIMIT = java.time.Duration.ofSeconds(3);

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private volatile WorkerPool pool;

    private Signals() {
    }

    /** Installs the handlers; before {@link #started} a stop signal ends start-up at once. */
    static Signals install() {
        Signals signals = new Signals();
        for (String name : STOP) {
            Signal.handle(new Signal(name), signals::stopSignal);
        }
        Signal.handle(new Signal("USR2"), signals::resetSignal);
        return signals;
    }

    /** Start-up is over: stop signals now stop gracefully, SIGUSR2 resets {@code pool}. */
    void started(WorkerPool pool) {
        this.pool = pool;
    }

    /** Blocks until the first stop signal after start-up. */
    void awaitStop() throws InterruptedException {
        stop.await();
    }

    private void stopSignal(Signal signal) {
        String name = "SIG" + signal.getName();
        if (pool == null) {
            // the workers may never answer (allocate_timeout can be long): nothing is served yet, nothing to drain
            LOG.warn("stop signal received during start-up; killing the starting workers and exiting", "signal", name);
            killDescendantsUntilQuiet();
            System.exit(STOPPED_DURING_START);
        }
        if (received.incrementAndGet() == 1) {
            LOG.info("stop signal received; stopping gracefully", "signal", name);
            stop.countDown();
        } else {
            LOG.warn("exit forced", "signal", name);
            System.exit(1);
        }
    }

    /**
     * Kills every process this one started, again and again until none has appeared for a while: workers are started
     * in parallel, so one may be spawned just after a first look, and would outlive rr-tcp (it runs in its own session).
     */
    private static void killDescendantsUntilQuiet() {
        long deadline = System.nanoTime() + QUIET_KILL_LIMIT.toNanos();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - quietSince < QUIET_FOR.toNanos()) {
            List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
            if (!alive.isEmpty()) {
                alive.forEach(ProcessHandle::destroyForcibly);
                quietSince = System.nanoTime();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void resetSignal(Signal signal) {
        WorkerPool target = pool;
        if (target == null || stop.getCount() == 0) {
            LOG.warn("reset signal ignored: the server is starting or stopping", "signal", "SIG" + signal.getName());
            return;
        }
        LOG.info("reset signal received; resetting the workers", "signal", "SIG" + signal.getName());
        Thread.ofVirtual().name("signal-reset").start(() -> {
            try {
                target.reset();
            } catch (Exception e) {
                LOG.error("reset after SIGUSR2 failed", "error", e.getMessage());
            }
        });
    }
}
