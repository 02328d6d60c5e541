package io.rrtcp.ops;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.config.CollectorConfig;
import io.rrtcp.rpc.JsonKind;
import io.rrtcp.rpc.RpcDispatcher;
import io.rrtcp.rpc.RpcException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.Declare}, {@code metrics.Add}, {@code metrics.Sub}, {@code metrics.Set}, {@code metrics.Observe}
 * and {@code metrics.Unregister} with upstream's argument shapes (what {@code spiral/roadrunner-metrics} sends with
 * its JSON codec); each answers {@code true} or an error frame with upstream's text.
 */
final class MetricsRpc {
    /** One operation on a collector's series. */
    @FunctionalInterface
    private interface Operation {
        void apply(String name, double value, List<String> labels) throws MetricsException;
    }

    private final AppMetrics metrics;

    MetricsRpc(AppMetrics metrics) {
        this.metrics = metrics;
    }

    void registerOn(RpcDispatcher d) {
        d.registerObjectMethod("metrics.Declare", this::declare);
        d.registerObjectMethod("metrics.Add", arg -> apply(metrics::add, arg));
        d.registerObjectMethod("metrics.Sub", arg -> apply(metrics::sub, arg));
        d.registerObjectMethod("metrics.Set", arg -> apply(metrics::set, arg));
        d.registerObjectMethod("metrics.Observe", arg -> apply(metrics::observe, arg));
        d.registerStringMethod("metrics.Unregister", name -> {
            try {
                metrics.unregister(name);
            } catch (MetricsException e) {
                throw new RpcException(e.getMessage());
            }
            return Boolean.TRUE;
        });
    }

    /** {@code {"name": "...", "value": 1.5, "labels": ["a", "b"]}} */
    private static Boolean apply(Operation op, JsonObject metric) throws RpcException {
        try {
            op.apply(string(metric, "name"), number(metric.get("value"), "value"), strings(metric.get("labels"), "labels"));
        } catch (MetricsException e) {
            throw new RpcException(e.getMessage());
        }
        return Boolean.TRUE;
    }

    /** {@code {"name": "...", "collector": {"namespace", "subsystem", "type", "help", "labels", "buckets", "objectives"}}} */
    private Boolean declare(JsonObject arg) throws RpcException {
        String name = string(arg, "name");
        JsonValue c = arg.get("collector");
        JsonObject collector = c != null && c.isObject() ? c.asObject() : new JsonObject();
        String typeName = string(collector, "type");
        CollectorConfig.Type type = CollectorConfig.Type.named(typeName);
        if (type == null) {
            throw new RpcException("metrics_rpc_declare: unknown collector type: " + typeName);
        }
        List<Double> buckets = new ArrayList<>();
        JsonValue b = collector.get("buckets");
        if (b != null && b.isArray()) {
            for (JsonValue v : b.asArray()) {
                buckets.add(number(v, "buckets"));
            }
        }
        CollectorConfig spec = new CollectorConfig(type, string(collector, "namespace"), string(collector, "subsystem"),
                string(collector, "help"), strings(collector.get("labels"), "labels"), buckets,
                objectives(collector.get("objectives")));
        try {
            metrics.declare(name, spec);
        } catch (MetricsException e) {
            throw new RpcException(e.getMessage());
        }
        return Boolean.TRUE;
    }

    private static String string(JsonObject o, String key) throws RpcException {
        JsonValue v = o.get(key);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw unmarshal(v, key, "string");
        }
        return v.asString();
    }

    private static double number(JsonValue v, String key) throws RpcException {
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isNumber()) {
            throw unmarshal(v, key, "float64");
        }
        return v.asDouble();
    }

    private static List<String> strings(JsonValue v, String key) throws RpcException {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw unmarshal(v, key, "[]string");
        }
        JsonArray a = v.asArray();
        List<String> out = new ArrayList<>(a.size());
        for (JsonValue item : a) {
            if (!item.isString()) {
                throw unmarshal(item, key, "string");
            }
            out.add(item.asString());
        }
        return out;
    }

    /** Quantile to allowed error, the quantile written as a JSON key ({@code {"0.5": 0.05}}). */
    private static Map<Double, Double> objectives(JsonValue v) throws RpcException {
        Map<Double, Double> out = new LinkedHashMap<>();
        if (v == null || !v.isObject()) {
            return out;
        }
        for (JsonObject.Member m : v.asObject()) {
            try {
                out.put(Double.parseDouble(m.getName()), number(m.getValue(), "objectives"));
            } catch (NumberFormatException e) {
                throw new RpcException("json: cannot unmarshal number " + m.getName()
                        + " into Go struct field .objectives of type float64");
            }
        }
        return out;
    }

    /** Go's encoding/json error for a value of the wrong kind in a struct field. */
    private static RpcException unmarshal(JsonValue v, String field, String goType) {
        return new RpcException("json: cannot unmarshal " + JsonKind.of(v) + " into Go struct field ." + field
                + " of type " + goType);
    }
}
