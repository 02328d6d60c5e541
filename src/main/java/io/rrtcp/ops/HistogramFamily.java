package io.rrtcp.ops;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One histogram metric with a series per server, built from each server's {@link NanosHistogram} at scrape time. */
final class HistogramFamily implements Collector {
    private final String name;
    private final String help;
    private final Map<String, ServerCounters> servers;
    private final Function<ServerCounters, NanosHistogram> series;

    /** @param name ends in {@code _seconds} */
    HistogramFamily(String name, String help, Map<String, ServerCounters> servers,
                    Function<ServerCounters, NanosHistogram> series) {
        this.name = name;
        this.help = help;
        this.servers = servers;
        this.series = series;
    }

    @Override
    public MetricSnapshot collect() {
        List<HistogramDataPointSnapshot> points = new ArrayList<>();
        servers.forEach((server, counters) -> points.add(series.apply(counters).snapshot(Labels.of("server", server))));
        return new HistogramSnapshot(new MetricMetadata(name, help, Unit.SECONDS), points);
    }

    @Override
    public String getPrometheusName() {
        return name;
    }

    @Override
    public MetricType getMetricType() {
        return MetricType.HISTOGRAM;
    }
}
