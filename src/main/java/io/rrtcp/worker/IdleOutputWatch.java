package io.rrtcp.worker;

import java.time.Duration;

/**
 * Looks at the idle workers' output every few milliseconds. A worker between requests has nothing to say; bytes it
 * writes then (a stray frame, a late second reply) would otherwise be read as the next request's reply and reach
 * another client. The look is one FIONREAD per idle worker, so it is cheap enough to repeat often.
 */
final class IdleOutputWatch {
    /** How often idle workers are looked at; a system property, so that tests can isolate the look before a request. */
    static final String PROPERTY = "rrtcp.worker.idleWatchMillis";
    private static final long DEFAULT_MILLIS = 20;

    private final Thread thread;
    private volatile boolean stopped;

    private IdleOutputWatch(WorkerPool pool, Duration period) {
        thread = Thread.ofVirtual().name("idle-output-watch").unstarted(() -> watch(pool, period));
    }

    static IdleOutputWatch start(WorkerPool pool) {
        IdleOutputWatch watch = new IdleOutputWatch(pool, Duration.ofMillis(Long.getLong(PROPERTY, DEFAULT_MILLIS)));
        watch.thread.start();
        return watch;
    }

    private void watch(WorkerPool pool, Duration period) {
        while (!stopped) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            pool.evictIdleWriters();
        }
    }

    void stop() {
        stopped = true;
        thread.interrupt();
    }
}
