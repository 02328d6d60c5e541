package io.rrtcp.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Medians and min–max ranges over the runs of a benchmark, formatted for the Markdown tables. */
final class Stats {
    private Stats() {
    }

    static <T> double median(List<T> values, ToDoubleFunction<T> f) {
        double[] v = values.stream().mapToDouble(f).sorted().toArray();
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static <T> String range(List<T> values, ToDoubleFunction<T> f, int decimals) {
        double[] v = values.stream().mapToDouble(f).sorted().toArray();
        String fmt = "%,." + decimals + "f";
        String med = String.format(Locale.ROOT, fmt, median(values, f));
        return v.length < 2 ? med : med + " (" + String.format(Locale.ROOT, fmt, v[0]) + "–"
                + String.format(Locale.ROOT, fmt, v[v.length - 1]) + ")";
    }

    static <T> String micros(List<T> values, ToDoubleFunction<T> nanos) {
        return String.format(Locale.ROOT, "%,.0f", median(values, nanos) / 1000.0);
    }
}
