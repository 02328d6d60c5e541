package io.rrtcp.bench;

import java.util.Arrays;

/** Round-trip times of one client, in nanoseconds; merged and sorted for percentiles. */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    int size() {
        return size;
    }

    static long[] sortedUnion(Iterable<Samples> all) {
        int total = 0;
        for (Samples s : all) {
            total += s.size;
        }
        long[] out = new long[total];
        int at = 0;
        for (Samples s : all) {
            System.arraycopy(s.values, 0, out, at, s.size);
            at += s.size;
        }
        Arrays.sort(out);
        return out;
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
