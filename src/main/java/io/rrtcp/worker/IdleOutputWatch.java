package io.rrtcp.worker;

import java.time.Duration;

/**
 * Looks at the idle workers' output every few milliseconds. A worker between requests has nothing to say; bytes it
 * writes then (a stray frame, a late second reply) would otherwise be read as the next request's reply and reach
 * another client. The look is one FIONREAD per idle worker, so it is cheap enough to repeat often. A worker caught
 * writing is killed and retired (it stays in the idle deque as a tombstone) and replaced.
 */
final class IdleOutputWatch {
    /** How often idle workers are looked at; a system property, so that tests can isolate the look before a request. */
    static final String PROPERTY = "rrtcp.worker.idleWatchMillis";
    private static final long DEFAULT_MILLIS = 20;

    private final Roster roster;
    private final WorkerLifecycle lifecycle;
    private TimeSource.Cancellable ticks;

    IdleOutputWatch(Roster roster, WorkerLifecycle lifecycle) {
        this.roster = roster;
        this.lifecycle = lifecycle;
    }

    void start(TimeSource time) {
        ticks = time.every(Duration.ofMillis(Long.getLong(PROPERTY, DEFAULT_MILLIS)), this::evictIdleWriters);
    }

    void stop() {
        if (ticks != null) {
            ticks.cancel();
        }
    }

    void evictIdleWriters() {
        for (Roster.Entry entry : roster.counted()) {
            if (roster.phase(entry) != Roster.Phase.IDLE) {
                continue;
            }
            int bytes = entry.worker.outputWhileIdle();
            if (bytes > 0) {
                // retired before the kill, so that the exit handler does not report it as a plain exit
                lifecycle.retire(entry, WorkerState.ERRORED,
                        "worker " + entry.worker.pid() + " " + WorkerExchange.unsolicited(bytes, "while idle"), true);
                entry.worker.kill();
            }
        }
    }
}
