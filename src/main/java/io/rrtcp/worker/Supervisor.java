package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.time.Duration;

/**
 * Checks every worker each {@code watch_tick} against {@code ttl}, {@code max_worker_memory} and {@code idle_ttl}
 * (in that order, first hit wins, as upstream). An idle worker past a limit is replaced at once; a busy one after
 * its current request, never in the middle of it. {@code exec_ttl} is enforced per request by the worker.
 */
final class Supervisor {
    private static final Log LOG = Log.get("supervisor");
    private static final long MEGABYTE = 1_048_576;

    private final Roster roster;
    private final WorkerLifecycle lifecycle;
    private final SupervisorOptions options;
    private final TimeSource time;
    private TimeSource.Cancellable ticks;

    Supervisor(Roster roster, WorkerLifecycle lifecycle, SupervisorOptions options, TimeSource time) {
        this.roster = roster;
        this.lifecycle = lifecycle;
        this.options = options;
        this.time = time;
    }

    void start() {
        ticks = time.every(options.watchTick(), this::safeTick);
        LOG.info("supervisor started", "watch_tick", options.watchTick(), "ttl", options.ttl(),
                "idle_ttl", options.idleTtl(), "exec_ttl", options.execTtl(),
                "max_worker_memory_mb", options.maxMemoryBytes() / MEGABYTE);
    }

    void stop() {
        if (ticks != null) {
            ticks.cancel();
        }
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("supervisor check failed", "error", e.toString());
        }
    }

    void tick() {
        for (Roster.Entry entry : roster.counted()) {
            Roster.Phase phase = roster.phase(entry);
            if (roster.recycleMark(entry) != null || (phase != Roster.Phase.IDLE && phase != Roster.Phase.BUSY)) {
                continue;
            }
            Roster.Recycle verdict = verdict(entry, phase == Roster.Phase.IDLE);
            if (verdict != null) {
                LOG.debug("worker over a limit", "pid", entry.worker.pid(), "reason", verdict.reason());
                if (roster.markForRecycle(entry, verdict)) {
                    lifecycle.retire(entry, verdict.state(), verdict.reason(), false);
                }
            }
        }
    }

    private Roster.Recycle verdict(Roster.Entry entry, boolean idle) {
        Worker worker = entry.worker;
        Duration age = Duration.between(worker.created(), time.now());
        if (isSet(options.ttl()) && age.compareTo(options.ttl()) >= 0) {
            return new Roster.Recycle(WorkerState.TTL_REACHED, "ttl reached: worker is " + age.toMillis()
                    + "ms old, ttl=" + options.ttl().toMillis() + "ms");
        }
        if (options.maxMemoryBytes() > 0) {
            long bytes = worker.stats().rssBytes();
            if (bytes >= options.maxMemoryBytes()) {
                return new Roster.Recycle(WorkerState.MAX_MEMORY_REACHED, "max_worker_memory reached: rss="
                        + bytes / MEGABYTE + "MB, max_worker_memory=" + options.maxMemoryBytes() / MEGABYTE + "MB");
            }
        }
        long lastDone = worker.lastDone();
        if (isSet(options.idleTtl()) && lastDone != 0 && idle) {
            Duration idleFor = Duration.ofNanos(time.nanoTime() - lastDone);
            if (idleFor.compareTo(options.idleTtl()) >= 0) {
                return new Roster.Recycle(WorkerState.IDLE_TTL_REACHED, "idle_ttl reached: idle for "
                        + idleFor.toMillis() + "ms, idle_ttl=" + options.idleTtl().toMillis() + "ms");
            }
        }
        return null;
    }

    private static boolean isSet(Duration d) {
        return !d.isZero() && !d.isNegative();
    }
}
