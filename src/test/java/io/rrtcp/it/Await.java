package io.rrtcp.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Bounded polling for things that happen on other threads or processes: never an open-ended wait. */
final class Await {
    private Await() {
    }

    static <T> T until(Callable<T> probe, Predicate<T> condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.call();
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + value);
            }
            Thread.sleep(20);
            value = probe.call();
        }
        return value;
    }
}
