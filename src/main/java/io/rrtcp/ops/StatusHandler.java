package io.rrtcp.ops;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rrtcp.config.StatusConfig;
import io.rrtcp.log.Log;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * {@code GET /health} and {@code GET /ready}, with {@code ?plugin=NAME} repeated for several (none: every plugin).
 * The body is a JSON array with a report per plugin asked, in upstream's shape ({@code plugin_name},
 * {@code status_code}, {@code error_message}) plus what the answer rests on. The status is 200 when every plugin asked
 * is fine, else {@code unavailable_status_code}; an unknown plugin is not fine. While rr-tcp stops, {@code /ready}
 * is unavailable and {@code /health} stays 200 (as upstream: an orchestrator must not kill a draining process).
 */
final class StatusHandler implements HttpHandler {
    private static final Log LOG = Log.get("status");

    private final Map<String, PluginCheck> plugins = new LinkedHashMap<>();
    private final StatusConfig config;
    private final BooleanSupplier stopping;
    private final ExecutorService checks = Executors.newVirtualThreadPerTaskExecutor();

    StatusHandler(StatusConfig config, List<PluginCheck> plugins, BooleanSupplier stopping) {
        this.config = config;
        this.stopping = stopping;
        plugins.forEach(p -> this.plugins.put(p.name(), p));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean ready = path.equals("/ready");
            if (!ready && !path.equals("/health")) {
                send(exchange, 404, new JsonObject().add("error_message", "no such endpoint: " + path
                        + " (try /health or /ready)"));
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                send(exchange, 405, new JsonObject().add("error_message", "use GET"));
                return;
            }
            List<String> asked = pluginsAsked(exchange.getRequestURI().getRawQuery());
            JsonArray reports = new JsonArray();
            boolean allOk = true;
            for (String name : asked.isEmpty() ? List.copyOf(plugins.keySet()) : asked) {
                JsonObject report = report(name, ready);
                allOk &= report.getInt("status_code", 0) == 200;
                reports.add(report);
            }
            send(exchange, allOk ? 200 : config.unavailableStatusCode(), reports);
        }
    }

    private JsonObject report(String name, boolean ready) {
        PluginCheck plugin = plugins.get(name);
        if (plugin == null) {
            return new JsonObject().add("plugin_name", name).add("status_code", config.unavailableStatusCode())
                    .add("error_message", "no health or readiness check for plugin " + name
                            + "; there are checks for: " + String.join(", ", plugins.keySet()));
        }
        boolean isStopping = stopping.getAsBoolean();
        PluginState state = check(plugin, ready ? PluginCheck::readiness : PluginCheck::health);
        if (isStopping) {
            // listeners close and workers stop on purpose now; liveness must not make an orchestrator kill the drain
            state = ready ? PluginState.unavailable("rr-tcp is stopping: no new clients", state.details())
                    : PluginState.ok(state.details());
        }
        JsonObject report = new JsonObject().add("plugin_name", name)
                .add("status_code", state.ok() ? 200 : config.unavailableStatusCode())
                .add("error_message", state.why());
        if (isStopping) {
            report.add("stopping", true);
        }
        for (JsonObject.Member m : state.details()) {
            report.add(m.getName(), m.getValue());
        }
        return report;
    }

    /** The plugin's answer, or unavailable when it takes longer than {@code check_timeout}. */
    private PluginState check(PluginCheck plugin, Function<PluginCheck, PluginState> question) {
        Duration timeout = config.checkTimeout();
        Future<PluginState> answer = checks.submit(() -> question.apply(plugin));
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return PluginState.unavailable("the check did not answer within check_timeout=" + timeout.toSeconds() + "s",
                    new JsonObject());
        } catch (ExecutionException e) {
            LOG.error("plugin check failed", "plugin", plugin.name(), "error", String.valueOf(e.getCause()));
            return PluginState.unavailable("the check failed: " + e.getCause(), new JsonObject());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PluginState.unavailable("interrupted", new JsonObject());
        }
    }

    /** Every {@code plugin=} value of the query, in order. */
    static List<String> pluginsAsked(String rawQuery) {
        List<String> names = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return names;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals("plugin")) {
                names.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    private static void send(HttpExchange exchange, int status, JsonValue body) throws IOException {
        byte[] bytes = (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    void close() {
        checks.shutdownNow();
    }
}
