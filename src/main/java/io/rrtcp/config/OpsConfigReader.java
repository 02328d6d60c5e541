package io.rrtcp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code status} and {@code metrics} sections (upstream's status and metrics plugins). */
final class OpsConfigReader {
    static final Set<String> SECTIONS = Set.of("status", "metrics");
    private static final Set<String> STATUS_KEYS = Set.of("address", "unavailable_status_code", "check_timeout");
    private static final Set<String> METRICS_KEYS = Set.of("address", "collect");
    private static final Set<String> COLLECTOR_KEYS =
            Set.of("type", "namespace", "subsystem", "help", "labels", "buckets", "objectives");

    private OpsConfigReader() {
    }

    static OpsConfig read(Node root) {
        return new OpsConfig(status(root.get("status")), metrics(root.get("metrics")));
    }

    private static Optional<StatusConfig> status(Node status) {
        if (!status.isWritten()) {
            return Optional.empty();
        }
        status.warnUnknownKeys(STATUS_KEYS);
        Node address = status.get("address");
        if (address.isAbsent() || "".equals(address.value())) {
            throw address.error("is required when the status section is present, e.g. 127.0.0.1:2114");
        }
        return Optional.of(new StatusConfig(address(address), statusCode(status.get("unavailable_status_code")),
                checkTimeout(status.get("check_timeout"))));
    }

    private static Optional<MetricsConfig> metrics(Node metrics) {
        if (!metrics.isWritten()) {
            return Optional.empty();
        }
        metrics.warnUnknownKeys(METRICS_KEYS);
        Node address = metrics.get("address");
        ListenAddress listen = address.isAbsent() || "".equals(address.value())
                ? ListenAddress.parse(MetricsConfig.DEFAULT_ADDRESS) : address(address);
        Map<String, CollectorConfig> collect = new LinkedHashMap<>();
        metrics.get("collect").entries().forEach((name, node) -> collect.put(name, collector(name, node)));
        return Optional.of(new MetricsConfig(listen, collect));
    }

    private static ListenAddress address(Node node) {
        try {
            return ListenAddress.parse(node.scalarText());
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
    }

    /** Absent or 0: 503, as upstream. */
    private static int statusCode(Node node) {
        if (node.isAbsent()) {
            return StatusConfig.DEFAULT_UNAVAILABLE_STATUS_CODE;
        }
        Long code = node.weakInteger();
        if (code == null || code != 0 && (code < 100 || code > 599)) {
            throw node.error("must be an HTTP status code from 100 to 599, got " + node.shown());
        }
        return code == 0 ? StatusConfig.DEFAULT_UNAVAILABLE_STATUS_CODE : code.intValue();
    }

    /** Whole seconds as upstream ({@code 60}), or a duration with a unit ({@code 5s}); absent or 0: 60 s. */
    private static Duration checkTimeout(Node node) {
        if (node.isAbsent()) {
            return StatusConfig.DEFAULT_CHECK_TIMEOUT;
        }
        Long seconds = node.weakInteger();
        Duration timeout;
        if (seconds != null) {
            timeout = Duration.ofSeconds(seconds);
        } else if (node.value() instanceof String) {
            timeout = ConfigLoader.duration(node);
        } else {
            throw node.error("must be whole seconds (60) or a duration (5s), got " + node.shown());
        }
        return timeout.isZero() || timeout.isNegative() ? StatusConfig.DEFAULT_CHECK_TIMEOUT : timeout;
    }

    private static CollectorConfig collector(String name, Node node) {
        if (!CollectorConfig.METRIC_NAME.matcher(name).matches()) {
            throw node.error("is not a valid metric name (letters, digits, _ and :, not starting with a digit)");
        }
        if (!node.isMap()) {
            throw node.error("must be a map with type, help, labels, ..., got " + node.shown());
        }
        node.warnUnknownKeys(COLLECTOR_KEYS);
        Node typeNode = node.get("type");
        String typeName = typeNode.isAbsent() ? "" : typeNode.scalarText();
        CollectorConfig.Type type = CollectorConfig.Type.named(typeName);
        if (type == null) {
            throw typeNode.error("invalid metric type `" + typeName + "` for `" + name
                    + "` (counter, gauge, histogram or summary)");
        }
        return new CollectorConfig(type, text(node.get("namespace")), text(node.get("subsystem")),
                text(node.get("help")), labels(node.get("labels")), buckets(node.get("buckets")),
                objectives(node.get("objectives")));
    }

    private static String text(Node node) {
        return node.isAbsent() ? "" : node.scalarText();
    }

    private static List<String> labels(Node node) {
        if (node.isAbsent()) {
            return List.of();
        }
        List<String> labels = new ArrayList<>();
        for (Node item : node.items()) {
            String label = item.scalarText();
            if (!CollectorConfig.LABEL_NAME.matcher(label).matches()) {
                throw item.error("is not a valid label name (letters, digits and _, not starting with a digit), got "
                        + item.shown());
            }
            labels.add(label);
        }
        return labels;
    }

    private static List<Double> buckets(Node node) {
        if (node.isAbsent()) {
            return List.of();
        }
        List<Double> buckets = new ArrayList<>();
        for (Node item : node.items()) {
            double bound = number(item);
            if (!buckets.isEmpty() && bound <= buckets.getLast()) {
                throw item.error("buckets must be in increasing order, got " + item.shown() + " after "
                        + buckets.getLast());
            }
            buckets.add(bound);
        }
        return buckets;
    }

    private static Map<Double, Double> objectives(Node node) {
        Map<Double, Double> objectives = new LinkedHashMap<>();
        node.entries().forEach((quantile, error) -> {
            double q;
            try {
                q = Double.parseDouble(quantile);
            } catch (NumberFormatException e) {
                throw error.error("the quantile must be a number from 0 to 1");
            }
            if (q < 0 || q > 1) {
                throw error.error("the quantile must be a number from 0 to 1");
            }
            objectives.put(q, number(error));
        });
        return objectives;
    }

    private static double number(Node node) {
        if (node.value() instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(node.scalarText());
        } catch (NumberFormatException e) {
            throw node.error("must be a number, got " + node.shown());
        }
    }
}
