package io.rrtcp.ops;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rrtcp.config.CollectorConfig;
import io.rrtcp.log.Log;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The application's own collectors, declared in {@code metrics.collect} or over RPC ({@code metrics.Declare}) and
 * moved by {@code metrics.Add/Sub/Set/Observe}, with upstream's rules and error texts: an unknown name is an
 * undefined collector, a labelled collector needs label values, a counter never decreases, and each type takes only
 * its own operations.
 */
public final class AppMetrics {
    private static final Log LOG = Log.get("metrics");

    /** One declared collector: the name it was declared under, its declaration and the client's metric. */
    private record Declared(String name, CollectorConfig spec, StatefulMetric<?, ?> metric) {
        boolean labelled() {
            return !spec.labels().isEmpty();
        }
    }

    private final PrometheusRegistry registry;
    private final Map<String, Declared> collectors = new ConcurrentHashMap<>();
    /** Declare and Unregister one at a time, so two declarations of one name cannot both register. */
    private final ReentrantLock declaring = new ReentrantLock();

    public AppMetrics(PrometheusRegistry registry) {
        this.registry = registry;
    }

    /**
     * Declares a collector. A name already declared is kept as it is and the call succeeds (upstream declares in
     * "upsert" mode since 2024, so workers may all declare at boot).
     *
     * @throws MetricsException when the client refuses the name, labels or buckets, or another collector already
     *                          exposes the same full name
     */
    public void declare(String name, CollectorConfig spec) throws MetricsException {
        declaring.lock();
        try {
            if (collectors.containsKey(name)) {
                LOG.warn("metric with provided name already exist", "name", name);
                return;
            }
            StatefulMetric<?, ?> metric;
            try {
                metric = build(name, spec);
                registry.register(metric);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new MetricsException("metrics_rpc_declare: " + e.getMessage());
            }
            collectors.put(name, new Declared(name, spec, metric));
            LOG.debug("metric declared", "name", name, "type", spec.type().label(), "namespace", spec.namespace());
        } finally {
            declaring.unlock();
        }
    }

    /** Removes a collector from the exposition; its name can be declared again. */
    public void unregister(String name) throws MetricsException {
        declaring.lock();
        try {
            Declared d = collectors.remove(name);
            if (d == null) {
                throw new MetricsException("undefined collector: " + name);
            }
            registry.unregister(d.metric());
        } finally {
            declaring.unlock();
        }
    }

    /** Adds to a counter (never a negative value) or a gauge. */
    public void add(String name, double value, List<String> labels) throws MetricsException {
        Declared d = find(name);
        switch (d.spec().type()) {
            case GAUGE -> gauge(d, labels).inc(value);
            case COUNTER -> {
                if (value < 0) {
                    throw new MetricsException("counter cannot decrease in value: " + name);
                }
                counter(d, labels).inc(value);
            }
            default -> throw unsupported(name, "Add");
        }
    }

    /** Subtracts from a gauge. */
    public void sub(String name, double value, List<String> labels) throws MetricsException {
        Declared d = find(name);
        if (d.spec().type() != CollectorConfig.Type.GAUGE) {
            throw unsupported(name, "Sub");
        }
        gauge(d, labels).dec(value);
    }

    /** Sets a gauge. */
    public void set(String name, double value, List<String> labels) throws MetricsException {
        Declared d = find(name);
        if (d.spec().type() != CollectorConfig.Type.GAUGE) {
            throw unsupported(name, "Set");
        }
        gauge(d, labels).set(value);
    }

    /** Observes a value in a histogram or a summary. */
    public void observe(String name, double value, List<String> labels) throws MetricsException {
        Declared d = find(name);
        CollectorConfig.Type type = d.spec().type();
        if (type != CollectorConfig.Type.HISTOGRAM && type != CollectorConfig.Type.SUMMARY) {
            throw unsupported(name, "Observe");
        }
        ((DistributionDataPoint) point(d, labels)).observe(value);
    }

    private Declared find(String name) throws MetricsException {
        Declared d = collectors.get(name);
        if (d == null) {
            LOG.error("undefined collector", "collector", name);
            throw new MetricsException("undefined collector: " + name);
        }
        return d;
    }

    private static GaugeDataPoint gauge(Declared d, List<String> labels) throws MetricsException {
        return (GaugeDataPoint) point(d, labels);
    }

    private static CounterDataPoint counter(Declared d, List<String> labels) throws MetricsException {
        return (CounterDataPoint) point(d, labels);
    }

    /** The series for {@code labels}; a collector without labels has one series and ignores any given. */
    private static Object point(Declared d, List<String> labels) throws MetricsException {
        if (!d.labelled()) {
            return d.metric();
        }
        if (labels.isEmpty()) {
            LOG.error("required labels for collector", "collector", d.name());
            throw new MetricsException("required labels for collector: " + d.name());
        }
        if (labels.size() != d.spec().labels().size()) {
            throw new MetricsException("inconsistent label cardinality: expected " + d.spec().labels().size()
                    + " label values but got " + labels.size() + " in " + quoted(labels));
        }
        return d.metric().labelValues(labels.toArray(String[]::new));
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    private static MetricsException unsupported(String name, String operation) {
        return new MetricsException("collector does not support the requested operation: " + name
                + " does not support " + operation);
    }

    /** The client's metric for a declaration, named {@code namespace_subsystem_name} as upstream (empty parts left out). */
    private static StatefulMetric<?, ?> build(String name, CollectorConfig spec) {
        String fullName = fullName(spec.namespace(), spec.subsystem(), name);
        // the Java client would accept any UTF-8 name; Prometheus' classic rules keep upstream's behaviour
        if (!CollectorConfig.METRIC_NAME.matcher(fullName).matches()) {
            throw new IllegalArgumentException("\"" + fullName + "\" is not a valid metric name");
        }
        for (String label : spec.labels()) {
            if (!CollectorConfig.LABEL_NAME.matcher(label).matches()) {
                throw new IllegalArgumentException("\"" + label + "\" is not a valid label name for metric \""
                        + fullName + "\"");
            }
        }
        String[] labels = spec.labels().toArray(String[]::new);
        String help = spec.help();
        return switch (spec.type()) {
            case COUNTER -> Counter.builder().name(fullName).help(help).labelNames(labels).withoutExemplars().build();
            case GAUGE -> Gauge.builder().name(fullName).help(help).labelNames(labels).withoutExemplars().build();
            case HISTOGRAM -> {
                Histogram.Builder b = Histogram.builder().name(fullName).help(help).labelNames(labels).classicOnly()
                        .withoutExemplars();
                if (!spec.buckets().isEmpty()) {
                    b.classicUpperBounds(spec.buckets().stream().mapToDouble(Double::doubleValue).toArray());
                }
                yield b.build();
            }
            case SUMMARY -> {
                Summary.Builder b = Summary.builder().name(fullName).help(help).labelNames(labels).withoutExemplars();
                spec.objectives().forEach(b::quantile);
                yield b.build();
            }
        };
    }

    static String fullName(String namespace, String subsystem, String name) {
        return Stream.of(namespace, subsystem, name).filter(s -> !s.isEmpty())
                .collect(Collectors.joining("_"));
    }
}
