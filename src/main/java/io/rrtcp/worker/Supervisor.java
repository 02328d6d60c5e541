package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.time.Duration;
import java.time.Instant;

/**
 * Checks every worker each {@code watch_tick} against {@code ttl}, {@code max_worker_memory} and {@code idle_ttl}
 * (in that order, first hit wins, as upstream). An idle worker past a limit is replaced at once; a busy one after
 * its current request, never in the middle of it. {@code exec_ttl} is enforced per request by {@link WorkerProcess}.
 */
final class Supervisor {
    private static final Log LOG = Log.get("supervisor");
    private static final long MEGABYTE = 1_048_576;

    private final WorkerPool pool;
    private final SupervisorOptions options;
    private final Thread thread;
    private volatile boolean stopped;

    private Supervisor(WorkerPool pool, SupervisorOptions options) {
        this.pool = pool;
        this.options = options;
        this.thread = Thread.ofVirtual().name("supervisor").unstarted(this::watch);
    }

    static Supervisor start(WorkerPool pool, SupervisorOptions options) {
        Supervisor supervisor = new Supervisor(pool, options);
        supervisor.thread.start();
        LOG.info("supervisor started", "watch_tick", options.watchTick(), "ttl", options.ttl(),
                "idle_ttl", options.idleTtl(), "exec_ttl", options.execTtl(),
                "max_worker_memory_mb", options.maxMemoryBytes() / MEGABYTE);
        return supervisor;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    private void watch() {
        while (!stopped) {
            try {
                Thread.sleep(options.watchTick());
            } catch (InterruptedException e) {
                return;
            }
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.error("supervisor check failed", "error", e.toString());
            }
        }
    }

    private void tick() {
        for (WorkerProcess worker : pool.liveWorkers()) {
            WorkerState state = worker.state();
            if (worker.isRetired() || worker.recycleMark() != null
                    || (state != WorkerState.READY && state != WorkerState.WORKING)) {
                continue;
            }
            WorkerProcess.Recycle verdict = verdict(worker);
            if (verdict != null) {
                LOG.debug("worker over a limit", "pid", worker.pid(), "reason", verdict.reason());
                pool.recycle(worker, verdict);
            }
        }
    }

    private WorkerProcess.Recycle verdict(WorkerProcess worker) {
        Duration age = Duration.between(worker.created(), Instant.now());
        if (isSet(options.ttl()) && age.compareTo(options.ttl()) >= 0) {
            return new WorkerProcess.Recycle(WorkerState.TTL_REACHED, "ttl reached: worker is " + age.toMillis()
                    + "ms old, ttl=" + options.ttl().toMillis() + "ms");
        }
        if (options.maxMemoryBytes() > 0) {
            long rss = ProcStats.rss(worker.pid());
            if (rss >= options.maxMemoryBytes()) {
                return new WorkerProcess.Recycle(WorkerState.MAX_MEMORY_REACHED, "max_worker_memory reached: rss="
                        + rss / MEGABYTE + "MB, max_worker_memory=" + options.maxMemoryBytes() / MEGABYTE + "MB");
            }
        }
        long lastDone = worker.lastDone();
        if (isSet(options.idleTtl()) && lastDone != 0 && pool.isIdle(worker)) {
            Duration idleFor = Duration.ofNanos(System.nanoTime() - lastDone);
            if (idleFor.compareTo(options.idleTtl()) >= 0) {
                return new WorkerProcess.Recycle(WorkerState.IDLE_TTL_REACHED, "idle_ttl reached: idle for "
                        + idleFor.toMillis() + "ms, idle_ttl=" + options.idleTtl().toMillis() + "ms");
            }
        }
        return null;
    }

    private static boolean isSet(Duration d) {
        return !d.isZero() && !d.isNegative();
    }
}
