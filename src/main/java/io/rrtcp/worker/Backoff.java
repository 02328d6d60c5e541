package io.rrtcp.worker;

import java.time.Duration;

/** The pauses of the replenisher, as pure functions of what happened so far. */
final class Backoff {
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    /** Deaths in a row of workers that never answered a request, before restarts are delayed. */
    static final int DEATHS_BEFORE_BACKOFF = 2;

    private Backoff() {
    }

    /** Before a replacement starts: zero, unless workers keep dying before they answer; then doubling up to 5 s. */
    static Duration beforeRestart(int deathsInARow) {
        if (deathsInARow < DEATHS_BEFORE_BACKOFF) {
            return Duration.ZERO;
        }
        int doublings = Math.min(deathsInARow - DEATHS_BEFORE_BACKOFF, 6);
        return min(FIRST_RETRY.multipliedBy(1L << doublings));
    }

    /** After a replacement failed to start: the pause before the next attempt. */
    static Duration afterFailedStart(Duration previous) {
        return previous == null ? FIRST_RETRY : min(previous.multipliedBy(2));
    }

    private static Duration min(Duration d) {
        return d.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : d;
    }
}
