package io.rrtcp.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status and metrics sections: upstream's keys and defaults, errors that name the key. */
class OpsConfigTest {
    private static final Path FILE = Path.of("conf/.rr.yaml");

    private static RrConfig parse(String sections) {
        return ConfigLoader.parse("version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    echo:\n"
                + "      addr: 127.0.0.1:7\n" + sections, FILE);
    }

    private static String error(String sections) {
        return assertThrows(ConfigException.class, () -> parse(sections)).getMessage();
    }

    @Test
    void withoutTheSectionsNeitherEndpointIsStarted() {
        RrConfig config = parse("");
        assertEquals(OpsConfig.NONE, config.ops());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void statusDefaultsTo503And60Seconds() {
        StatusConfig status = parse("status:\n  address: 127.0.0.1:2114\n").ops().status().orElseThrow();
        assertEquals(new StatusConfig(ListenAddress.parse("127.0.0.1:2114"), 503, Duration.ofSeconds(60)), status);
    }

    @Test
    void statusTakesUpstreamsKeys() {
        StatusConfig status = parse("status:\n  address: 127.0.0.1:2114\n  unavailable_status_code: 500\n"
                + "  check_timeout: 5\n").ops().status().orElseThrow();
        assertEquals(500, status.unavailableStatusCode());
        assertEquals(Duration.ofSeconds(5), status.checkTimeout(), "whole seconds, as upstream");
        assertEquals(Duration.ofMillis(1500), parse("status:\n  address: :2114\n  check_timeout: 1500ms\n").ops()
                .status().orElseThrow().checkTimeout());
    }

    @Test
    void statusErrorsNameTheKey() {
        assertTrue(error("status:\n  check_timeout: 5\n").contains("status.address: is required"),
                error("status:\n  check_timeout: 5\n"));
        String code = error("status:\n  address: 127.0.0.1:2114\n  unavailable_status_code: 99\n");
        assertTrue(code.contains("status.unavailable_status_code: must be an HTTP status code from 100 to 599, got 99"),
                code);
        String address = error("status:\n  address: localhost\n");
        assertTrue(address.contains("status.address:"), address);
    }

    @Test
    void metricsDefaultsToLoopbackPort2112() {
        MetricsConfig metrics = parse("metrics: {}\n").ops().metrics().orElseThrow();
        assertEquals(ListenAddress.parse("127.0.0.1:2112"), metrics.address());
        assertEquals(Map.of(), metrics.collect());
    }

    @Test
    void collectDeclaresCollectorsWithUpstreamsKeys() {
        MetricsConfig metrics = parse("""
                metrics:
                  address: 127.0.0.1:9180
                  collect:
                    app_metric:
                      type: histogram
                      help: "Custom application metric"
                      labels: ["type"]
                      buckets: [0.1, 0.2, 0.3, 1.0]
                    app_latency:
                      type: summary
                      namespace: shop
                      objectives:
                        0.5: 0.05
                        0.99: 0.001
                """).ops().metrics().orElseThrow();
        assertEquals(new CollectorConfig(CollectorConfig.Type.HISTOGRAM, "", "", "Custom application metric",
                List.of("type"), List.of(0.1, 0.2, 0.3, 1.0), Map.of()), metrics.collect().get("app_metric"));
        assertEquals(new CollectorConfig(CollectorConfig.Type.SUMMARY, "shop", "", "", List.of(), List.of(),
                Map.of(0.5, 0.05, 0.99, 0.001)), metrics.collect().get("app_latency"));
    }

    @Test
    void collectErrorsNameTheCollector() {
        String type = error("metrics:\n  collect:\n    jobs:\n      type: meter\n");
        assertTrue(type.contains("metrics.collect.jobs.type: invalid metric type `meter` for `jobs`"), type);
        String label = error("metrics:\n  collect:\n    jobs:\n      type: gauge\n      labels: [\"bad-name\"]\n");
        assertTrue(label.contains("metrics.collect.jobs.labels[0]: is not a valid label name"), label);
        String buckets = error("metrics:\n  collect:\n    jobs:\n      type: histogram\n      buckets: [2, 1]\n");
        assertTrue(buckets.contains("metrics.collect.jobs.buckets[1]: buckets must be in increasing order"), buckets);
    }
}
