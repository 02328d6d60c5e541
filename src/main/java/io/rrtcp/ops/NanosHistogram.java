package io.rrtcp.ops;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

import java.util.concurrent.atomic.LongAdder;

/**
 * One histogram series of durations, observed in nanoseconds and exposed in seconds. On the message path, so an
 * observation is a short scan of the bounds and two LongAdder additions: no lock, no allocation (the client's own
 * Histogram allocates a lambda per observation).
 */
final class NanosHistogram {
    /** Upper bounds in seconds, from 50 µs (a fast echo) to 10 s (a slow worker), then +Inf. */
    static final double[] BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length - 1];

    static {
        for (int i = 0; i < BOUNDS_NANOS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    private final LongAdder[] counts = new LongAdder[BOUNDS.length];
    private final LongAdder sumNanos = new LongAdder();
    private final long created = System.currentTimeMillis();

    NanosHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(nanos);
    }

    /** The series now; the count is the sum of the buckets, so a scrape never sees them disagree. */
    HistogramDataPointSnapshot snapshot(Labels labels) {
        long[] perBucket = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            perBucket[i] = counts[i].sum();
        }
        return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(BOUNDS, perBucket), sumNanos.sum() / 1e9,
                labels, Exemplars.EMPTY, created);
    }
}
