package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.util.function.BooleanSupplier;

/**
 * Where workers enter and leave a pool: admitted (listed, watched for exit, idle), retired (out of service, stopped
 * in the background, replaced unless they left on purpose), and what happens when a process exits on its own.
 */
final class WorkerLifecycle {
    private static final Log LOG = Log.get("pool");

    private final Roster roster;
    private final IdleWorkers<Roster.Entry> idle;
    private final BooleanSupplier closed;
    private final PoolMeter meter;
    private Replenisher replenisher;
    /** Runs a waiting request on a worker put back (the pool's executor, see {@link IdleWorkers#put}). */
    private java.util.function.Consumer<IdleWorkers.Waiter<Roster.Entry>> handOver = w -> { };

    WorkerLifecycle(Roster roster, IdleWorkers<Roster.Entry> idle, BooleanSupplier closed, PoolMeter meter) {
        this.roster = roster;
        this.idle = idle;
        this.closed = closed;
        this.meter = meter;
    }

    void replenishWith(Replenisher replenisher) {
        this.replenisher = replenisher;
    }

    void handOverWith(java.util.function.Consumer<IdleWorkers.Waiter<Roster.Entry>> handOver) {
        this.handOver = handOver;
    }

    /** A started worker joins: watched for its exit, then idle (or stopped, when the pool closed meanwhile). */
    void admit(Roster.Entry entry) {
        entry.worker.onExit(code -> exited(entry, code));
        if (closed.getAsBoolean()) {
            retireAndStop(entry);
            return;
        }
        IdleWorkers.Waiter<Roster.Entry> waiter = idle.put(entry);
        if (waiter != null) {
            handOver.accept(waiter);
        }
    }

    /** Back among the idle workers, or to the first waiter in line, who is returned for the caller to hand it over. */
    IdleWorkers.Waiter<Roster.Entry> backToIdle(Roster.Entry entry) {
        if (!roster.backToIdle(entry)) {
            return null;
        }
        if (!entry.worker.isAlive()) { // died just now: the exit handler may have skipped it as busy
            retire(entry, WorkerState.STOPPED, "process exited after its request", false);
            return null;
        }
        return idle.put(entry);
    }

    /**
     * Takes a worker out of service for good; the old one stops in the background (or is already dead) and, unless it
     * left on purpose (reset, removal) or the pool is closing, another starts. An idle one stays in the idle deque as
     * a tombstone that the next taker discards.
     *
     * @param state the state it is reported in from now on, or null to keep its own
     * @param fault whether it failed (logged as a warning) rather than being recycled
     */
    void retire(Roster.Entry entry, WorkerState state, String reason, boolean fault) {
        boolean[] counted = new boolean[1];
        if (!roster.retire(entry, state, counted)) {
            return;
        }
        Worker worker = entry.worker;
        WorkerState shown = roster.reported(entry);
        meter.retired(shown);
        if (fault && worker.served() == 0) {
            replenisher.deathBeforeAnswer();
        }
        stopInBackground(worker);
        boolean replaced = replenisher.topUp() > 0 && counted[0];
        if (fault) {
            LOG.warn("worker killed and replaced", "pid", worker.pid(), "state", shown.statusStr(), "reason", reason);
        } else {
            // a removal or a reset leaves the pool without a replacement for this one: say so
            LOG.info(replaced ? "replacing worker" : "stopping worker", "pid", worker.pid(),
                    "state", shown.statusStr(), "reason", reason, "execs", worker.numExecs());
        }
    }

    /** Out of service without a replacement or a log line (debug mode, closing, surplus). */
    void retireAndStop(Roster.Entry entry) {
        boolean[] counted = new boolean[1];
        if (roster.retire(entry, null, counted)) {
            stopInBackground(entry.worker);
        }
    }

    static void stopInBackground(Worker worker) {
        Thread.ofVirtual().name("stop-" + worker.pid()).start(() -> {
            if (worker.isAlive()) {
                worker.stop();
            }
        });
    }

    private void exited(Roster.Entry entry, int exitCode) {
        Roster.Phase phase = roster.phase(entry);
        if (closed.getAsBoolean() || phase == Roster.Phase.RETIRING || phase == Roster.Phase.GONE) {
            roster.gone(entry);
            return;
        }
        if (phase == Roster.Phase.BUSY) {
            return; // its request fails or ends now; that path retires it with the better reason
        }
        WorkerState state = exitCode == 0 ? WorkerState.STOPPED : WorkerState.ERRORED;
        retire(entry, state, "process exited with code " + exitCode + stderrHint(entry.worker), exitCode != 0);
        roster.gone(entry);
    }

    private static String stderrHint(Worker worker) {
        String stderr = worker.recentStderr();
        if (stderr.isEmpty()) {
            return "";
        }
        return "; last stderr line: " + stderr.substring(stderr.lastIndexOf('\n') + 1);
    }
}
