package io.rrtcp.ops;

import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rrtcp.config.CollectorConfig;
import io.rrtcp.config.ListenAddress;
import io.rrtcp.config.MetricsConfig;
import io.rrtcp.config.OpsConfig;
import io.rrtcp.config.StatusConfig;
import io.rrtcp.log.Log;
import io.rrtcp.rpc.RpcDispatcher;
import io.rrtcp.tcp.TcpMeters;
import io.rrtcp.worker.PoolMeter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What operators watch rr-tcp through: {@code /health} and {@code /ready} ({@code status} section) and
 * {@code /metrics} with the {@code rr_tcp_*} and application metrics ({@code metrics} section). Started before the
 * workers, so that probes get truthful answers through start-up; stopped last.
 */
public final class Ops implements AutoCloseable {
    private static final Log LOG = Log.get("ops");

    private final Optional<TcpMetrics> tcpMetrics;
    private final Optional<AppMetrics> appMetrics;
    private final List<HttpEndpoint> endpoints;
    private final Optional<StatusHandler> status;
    private final Map<String, InetSocketAddress> addresses;

    private Ops(Optional<TcpMetrics> tcpMetrics, Optional<AppMetrics> appMetrics, List<HttpEndpoint> endpoints,
                Optional<StatusHandler> status, Map<String, InetSocketAddress> addresses) {
        this.tcpMetrics = tcpMetrics;
        this.appMetrics = appMetrics;
        this.endpoints = endpoints;
        this.status = status;
        this.addresses = addresses;
    }

    /**
     * Declares the {@code metrics.collect} collectors and binds the endpoints the config asks for (status and metrics
     * share one server when their addresses are equal). Nothing is started when neither section is present.
     *
     * @param pool     the worker pool as the metrics read it at scrape time
     * @param plugins  what {@code /health} and {@code /ready} can be asked about
     * @param stopping true once rr-tcp has begun to stop
     * @throws IOException when an address cannot be bound (the message names the config key)
     */
    public static Ops start(OpsConfig config, PoolView pool, List<PluginCheck> plugins, BooleanSupplier stopping)
            throws IOException {
        Optional<TcpMetrics> tcpMetrics = Optional.empty();
        Optional<AppMetrics> appMetrics = Optional.empty();
        Map<ListenAddress, Map<String, HttpHandler>> servers = new LinkedHashMap<>();
        Map<ListenAddress, List<String>> keys = new LinkedHashMap<>();
        if (config.metrics().isPresent()) {
            MetricsConfig metrics = config.metrics().get();
            PrometheusRegistry registry = new PrometheusRegistry();
            tcpMetrics = Optional.of(new TcpMetrics(registry, pool));
            appMetrics = Optional.of(declared(registry, metrics.collect()));
            servers.computeIfAbsent(metrics.address(), a -> new LinkedHashMap<>())
                    .put("/metrics", new MetricsHandler(registry));
            keys.computeIfAbsent(metrics.address(), a -> new ArrayList<>()).add("metrics.address");
        }
        Optional<StatusHandler> status = Optional.empty();
        if (config.status().isPresent()) {
            StatusConfig statusConfig = config.status().get();
            StatusHandler handler = new StatusHandler(statusConfig, plugins, stopping);
            status = Optional.of(handler);
            Map<String, HttpHandler> paths = servers.computeIfAbsent(statusConfig.address(), a -> new LinkedHashMap<>());
            paths.put("/health", handler);
            paths.put("/ready", handler);
            keys.computeIfAbsent(statusConfig.address(), a -> new ArrayList<>()).add("status.address");
        }
        List<HttpEndpoint> endpoints = new ArrayList<>();
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        try {
            for (var e : servers.entrySet()) {
                HttpEndpoint endpoint = HttpEndpoint.start(e.getKey(), String.join(" and ", keys.get(e.getKey())),
                        e.getValue());
                endpoints.add(endpoint);
                for (String key : keys.get(e.getKey())) {
                    addresses.put(key.substring(0, key.indexOf('.')), endpoint.address());
                    LOG.info(key.startsWith("metrics") ? "metrics listening" : "status listening",
                            "addr", endpoint.address(), "paths", String.join(",", e.getValue().keySet()));
                }
            }
        } catch (IOException e) {
            endpoints.forEach(HttpEndpoint::close);
            status.ifPresent(StatusHandler::close);
            throw e;
        }
        return new Ops(tcpMetrics, appMetrics, endpoints, status, addresses);
    }

    private static AppMetrics declared(PrometheusRegistry registry, Map<String, CollectorConfig> collect)
            throws IOException {
        AppMetrics app = new AppMetrics(registry);
        for (var e : collect.entrySet()) {
            try {
                app.declare(e.getKey(), e.getValue());
            } catch (MetricsException ex) {
                throw new IOException("metrics.collect." + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        return app;
    }

    /** Where the TCP servers count connections and messages (nothing is counted without a metrics section). */
    public TcpMeters tcpMeters() {
        return tcpMetrics.<TcpMeters>map(m -> m).orElse(TcpMeters.NONE);
    }

    /** Where the pool reports the workers it retires. */
    public PoolMeter poolMeter() {
        return tcpMetrics.<PoolMeter>map(m -> m).orElse(PoolMeter.NONE);
    }

    /** Adds the {@code metrics.*} methods, when there is a metrics section (else they are unknown, as upstream). */
    public void registerRpc(RpcDispatcher dispatcher) {
        appMetrics.ifPresent(app -> new MetricsRpc(app).registerOn(dispatcher));
    }

    /** The application collectors, when there is a metrics section. */
    public Optional<AppMetrics> appMetrics() {
        return appMetrics;
    }

    /** The bound address of "status" and of "metrics" (real ports), for those configured. */
    public Map<String, InetSocketAddress> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        endpoints.forEach(HttpEndpoint::close);
        status.ifPresent(StatusHandler::close);
    }
}
