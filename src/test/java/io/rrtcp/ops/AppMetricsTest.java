package io.rrtcp.ops;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rrtcp.config.CollectorConfig;
import io.rrtcp.config.CollectorConfig.Type;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Application collectors follow upstream's metrics plugin: its operations per type, its errors, word for word. */
class AppMetricsTest {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final AppMetrics metrics = new AppMetrics(registry);

    private static CollectorConfig spec(Type type, String... labels) {
        return new CollectorConfig(type, "app", "", "Help text.", List.of(labels), List.of(), Map.of());
    }

    private String exposition() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String error(Executable e) {
        return assertThrows(MetricsException.class, e::run).getMessage();
    }

    @FunctionalInterface
    private interface Executable {
        void run() throws Exception;
    }

    @Test
    void aCounterWithLabelsAddsPerLabelValuesAndIsExposedUnderItsFullName() throws Exception {
        metrics.declare("orders", spec(Type.COUNTER, "kind"));
        metrics.add("orders", 2, List.of("web"));
        metrics.add("orders", 0.5, List.of("web"));
        metrics.add("orders", 1, List.of("api"));
        String text = exposition();
        assertTrue(text.contains("# HELP app_orders_total Help text."), text);
        assertTrue(text.contains("app_orders_total{kind=\"web\"} 2.5"), text);
        assertTrue(text.contains("app_orders_total{kind=\"api\"} 1.0"), text);
    }

    @Test
    void errorsAreUpstreamsTexts() throws Exception {
        metrics.declare("orders", spec(Type.COUNTER, "kind"));
        metrics.declare("plain", spec(Type.COUNTER));
        metrics.declare("temp", spec(Type.GAUGE));
        metrics.declare("latency", spec(Type.HISTOGRAM));
        assertEquals("undefined collector: nope", error(() -> metrics.add("nope", 1, List.of())));
        assertEquals("undefined collector: nope", error(() -> metrics.unregister("nope")));
        assertEquals("required labels for collector: orders", error(() -> metrics.add("orders", 1, List.of())));
        assertEquals("counter cannot decrease in value: orders", error(() -> metrics.add("orders", -1, List.of("x"))));
        assertEquals("counter cannot decrease in value: plain", error(() -> metrics.add("plain", -1, List.of())));
        assertEquals("collector does not support the requested operation: plain does not support Sub",
                error(() -> metrics.sub("plain", 1, List.of())));
        assertEquals("collector does not support the requested operation: plain does not support Set",
                error(() -> metrics.set("plain", 1, List.of())));
        assertEquals("collector does not support the requested operation: temp does not support Observe",
                error(() -> metrics.observe("temp", 1, List.of())));
        assertEquals("collector does not support the requested operation: latency does not support Add",
                error(() -> metrics.add("latency", 1, List.of())));
        assertEquals("inconsistent label cardinality: expected 1 label values but got 2 in [\"a\", \"b\"]",
                error(() -> metrics.add("orders", 1, List.of("a", "b"))));
    }

    @Test
    void aGaugeAddsSubtractsAndSetsAndIgnoresLabelsItDoesNotHave() throws Exception {
        metrics.declare("temp", spec(Type.GAUGE));
        metrics.add("temp", 5, List.of());
        metrics.sub("temp", 2, List.of("ignored"));
        assertTrue(exposition().contains("app_temp 3.0"), exposition());
        metrics.set("temp", -7.5, List.of());
        assertTrue(exposition().contains("app_temp -7.5"), exposition());
    }

    @Test
    void histogramsUseTheirBucketsAndSummariesTheirObjectives() throws Exception {
        metrics.declare("size", new CollectorConfig(Type.HISTOGRAM, "", "", "", List.of("kind"), List.of(1.0, 10.0),
                Map.of()));
        metrics.declare("time", new CollectorConfig(Type.SUMMARY, "", "", "", List.of(), List.of(),
                Map.of(0.5, 0.05)));
        metrics.observe("size", 3, List.of("a"));
        metrics.observe("size", 30, List.of("a"));
        metrics.observe("time", 2, List.of());
        String text = exposition();
        assertTrue(text.contains("size_bucket{kind=\"a\",le=\"1.0\"} 0"), text);
        assertTrue(text.contains("size_bucket{kind=\"a\",le=\"10.0\"} 1"), text);
        assertTrue(text.contains("size_bucket{kind=\"a\",le=\"+Inf\"} 2"), text);
        assertTrue(text.contains("size_sum{kind=\"a\"} 33.0"), text);
        assertTrue(text.contains("time{quantile=\"0.5\"} 2.0"), text);
        assertTrue(text.contains("time_count 1"), text);
    }

    @Test
    void declaringAnExistingNameKeepsTheFirstAndSucceedsAsUpstreamsUpsert() throws Exception {
        metrics.declare("orders", spec(Type.COUNTER));
        metrics.add("orders", 4, List.of());
        metrics.declare("orders", spec(Type.GAUGE, "other"));
        metrics.add("orders", 1, List.of());
        assertTrue(exposition().contains("app_orders_total 5.0"), exposition());
    }

    @Test
    void unregisterRemovesTheCollectorFromTheScrapeAndFreesItsName() throws Exception {
        metrics.declare("orders", spec(Type.COUNTER));
        metrics.add("orders", 4, List.of());
        metrics.unregister("orders");
        assertFalse(exposition().contains("app_orders"), exposition());
        assertEquals("undefined collector: orders", error(() -> metrics.add("orders", 1, List.of())));
        metrics.declare("orders", spec(Type.GAUGE));
        metrics.set("orders", 2, List.of());
        assertTrue(exposition().contains("app_orders 2.0"), exposition());
    }

    @Test
    void aNameThePrometheusClientRefusesFailsTheDeclaration() {
        String message = error(() -> metrics.declare("9lives", new CollectorConfig(Type.GAUGE, "", "", "", List.of(),
                List.of(), Map.of())));
        assertTrue(message.startsWith("metrics_rpc_declare: "), message);
        assertTrue(message.contains("9lives"), message);
    }

    @Test
    void twoNamesThatMakeTheSameFullNameCannotBothBeDeclared() throws Exception {
        metrics.declare("jobs", new CollectorConfig(Type.GAUGE, "app", "", "", List.of(), List.of(), Map.of()));
        String message = error(() -> metrics.declare("app_jobs",
                new CollectorConfig(Type.GAUGE, "", "", "", List.of(), List.of(), Map.of())));
        assertTrue(message.startsWith("metrics_rpc_declare: "), message);
    }
}
