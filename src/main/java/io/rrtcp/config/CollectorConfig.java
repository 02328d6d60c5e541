package io.rrtcp.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One application collector, as {@code metrics.collect.<name>} or the RPC call {@code metrics.Declare} describes it
 * (upstream's {@code Collector}: the same keys in YAML and in JSON).
 *
 * @param type       counter, gauge, histogram or summary
 * @param namespace  prefix of the exposed name ({@code namespace_subsystem_name}), may be empty
 * @param subsystem  middle part of the exposed name, may be empty
 * @param help       the HELP text
 * @param labels     label names; none makes a single series, some make one series per label values
 * @param buckets    histogram upper bounds; empty means Prometheus' default buckets
 * @param objectives summary quantile to its allowed error; empty means a summary of count and sum only
 */
public record CollectorConfig(Type type, String namespace, String subsystem, String help, List<String> labels,
                              List<Double> buckets, Map<Double, Double> objectives) {
    /** Prometheus' classic metric name rule (upstream's Go client and schema enforce it). */
    public static final Pattern METRIC_NAME = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
    /** Prometheus' classic label name rule. */
    public static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

    /** The four collector types, by the names upstream accepts. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM, SUMMARY;

        /** The type named {@code name} (lower case, as upstream), or null. */
        public static Type named(String name) {
            for (Type t : values()) {
                if (t.label().equals(name)) {
                    return t;
                }
            }
            return null;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CollectorConfig {
        labels = List.copyOf(labels);
        buckets = List.copyOf(buckets);
        objectives = Map.copyOf(objectives);
    }
}
