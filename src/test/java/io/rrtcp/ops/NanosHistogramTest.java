package io.rrtcp.ops;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Durations land in the bucket whose upper bound they do not exceed (le is inclusive), and come out in seconds. */
class NanosHistogramTest {
    @Test
    void aDurationOnABoundCountsInThatBucketAndOneNanosecondMoreInTheNext() {
        NanosHistogram h = new NanosHistogram();
        h.observe(50_000);        // exactly 50 µs
        h.observe(50_001);        // just over
        h.observe(60_000_000_000L); // a minute: only +Inf
        HistogramDataPointSnapshot s = h.snapshot(Labels.of("server", "main"));
        ClassicHistogramBuckets b = s.getClassicBuckets();
        assertEquals(0.00005, b.getUpperBound(0));
        assertEquals(1, b.getCount(0));
        assertEquals(1, b.getCount(1));
        assertEquals(Double.POSITIVE_INFINITY, b.getUpperBound(b.size() - 1));
        assertEquals(1, b.getCount(b.size() - 1));
        assertEquals(3, s.getCount());
        assertEquals(60.000100001, s.getSum(), 1e-9);
    }
}
