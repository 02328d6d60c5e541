package io.rrtcp.ops;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rrtcp.rpc.WorkerStatus;
import io.rrtcp.tcp.CloseReason;
import io.rrtcp.tcp.ServerMeter;
import io.rrtcp.tcp.TcpEvent;
import io.rrtcp.tcp.TcpMeters;
import io.rrtcp.worker.PoolMeter;
import io.rrtcp.worker.WorkerState;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The {@code rr_tcp_*} metrics: counters the TCP servers and the pool bump through {@link TcpMeters} and
 * {@link PoolMeter}, and gauges read from the pool when Prometheus scrapes. Every name and label is listed in the
 * README.
 */
public final class TcpMetrics implements TcpMeters, PoolMeter {
    /** Why a worker left, by the state it left in (several states share a reason). */
    private static final Map<WorkerState, String> RESTART_REASONS = restartReasons();

    private final Map<String, ServerCounters> servers = new ConcurrentSkipListMap<>();
    private final Map<WorkerState, LongAdder> restarts = new EnumMap<>(WorkerState.class);
    private final PoolView pool;

    /** Registers every {@code rr_tcp_*} metric in {@code registry}; {@code pool} is read at scrape time. */
    public TcpMetrics(PrometheusRegistry registry, PoolView pool) {
        this.pool = pool;
        for (WorkerState s : WorkerState.values()) {
            restarts.put(s, new LongAdder());
        }
        registerConnections(registry);
        registerMessages(registry);
        registerPool(registry);
    }

    @Override
    public ServerMeter server(String name) {
        return servers.computeIfAbsent(name, n -> new ServerCounters());
    }

    @Override
    public void retired(WorkerState state) {
        restarts.get(state).increment();
    }

    private void registerConnections(PrometheusRegistry registry) {
        perServer(registry, "rr_tcp_connections_total", "Connections accepted.", c -> c.opened.sum());
        GaugeWithCallback.builder().name("rr_tcp_connections_open").help("Connections open now.")
                .labelNames("server")
                .callback(cb -> servers.forEach((server, c) -> cb.call(c.open(), server))).register(registry);
        CounterWithCallback.builder().name("rr_tcp_connections_closed_total")
                .help("Connections ended, by why: client, verb, worker_error, a limit key, shutdown, rpc or error.")
                .labelNames("server", "reason")
                .callback(cb -> servers.forEach((server, c) -> {
                    for (CloseReason r : CloseReason.values()) {
                        cb.call(c.closed[r.ordinal()].sum(), server, r.label());
                    }
                })).register(registry);
    }

    private void registerMessages(PrometheusRegistry registry) {
        CounterWithCallback.builder().name("rr_tcp_events_total")
                .help("Events handed to a worker: connected, data (one per message) and close.")
                .labelNames("server", "event")
                .callback(cb -> servers.forEach((server, c) -> {
                    for (TcpEvent e : TcpEvent.values()) {
                        cb.call(c.events[e.ordinal()].sum(), server, e.name().toLowerCase(Locale.ROOT));
                    }
                })).register(registry);
        perServer(registry, "rr_tcp_received_bytes_total", "Bytes read from clients.", c -> c.received.sum());
        perServer(registry, "rr_tcp_sent_bytes_total", "Bytes written to clients (replies and RPC sends).",
                c -> c.sent.sum());
        registry.register(new HistogramFamily("rr_tcp_worker_duration_seconds",
                "A worker's time per event, from sending it to reading the reply.", servers, c -> c.worked));
        registry.register(new HistogramFamily("rr_tcp_worker_wait_seconds",
                "Time an event waited for a free worker.", servers, c -> c.waited));
    }

    private void registerPool(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("rr_tcp_workers").help("Workers by state (as informer.Workers names them).")
                .labelNames("state")
                .callback(cb -> workersByState().forEach((state, n) -> cb.call(n, state))).register(registry);
        CounterWithCallback.builder().name("rr_tcp_worker_restarts_total")
                .help("Workers taken out of service, by why: max_jobs, ttl, idle_ttl, exec_ttl, max_worker_memory, "
                        + "exited, errored, invalid, reset.")
                .labelNames("reason")
                .callback(cb -> restartsByReason().forEach((reason, n) -> cb.call(n, reason))).register(registry);
        GaugeWithCallback.builder().name("rr_tcp_queue_length")
                .help("Requests inside the worker pool: waiting for a worker or running (max_queue_size limits it).")
                .callback(cb -> cb.call(pool.queueSize())).register(registry);
    }

    private void perServer(PrometheusRegistry registry, String name, String help,
                           Function<ServerCounters, Long> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames("server")
                .callback(cb -> servers.forEach((server, c) -> cb.call(value.apply(c), server))).register(registry);
    }

    /** Every state name with its count, zeros included, so that a series does not vanish when it drops to 0. */
    private Map<String, Integer> workersByState() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (WorkerState s : WorkerState.values()) {
            counts.put(s.statusStr(), 0);
        }
        for (WorkerStatus w : pool.workers()) {
            counts.merge(w.statusStr(), 1, Integer::sum);
        }
        return counts;
    }

    private Map<String, Long> restartsByReason() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String reason : new LinkedHashSet<>(RESTART_REASONS.values())) {
            out.put(reason, 0L);
        }
        restarts.forEach((state, n) -> out.merge(RESTART_REASONS.get(state), n.sum(), Long::sum));
        return out;
    }

    private static Map<WorkerState, String> restartReasons() {
        Map<WorkerState, String> m = new EnumMap<>(WorkerState.class);
        for (WorkerState s : WorkerState.values()) {
            m.put(s, "errored"); // killed for a broken protocol or a failed request, or exited non-zero
        }
        m.put(WorkerState.MAX_JOBS_REACHED, "max_jobs");
        m.put(WorkerState.TTL_REACHED, "ttl");
        m.put(WorkerState.IDLE_TTL_REACHED, "idle_ttl");
        m.put(WorkerState.EXEC_TTL_REACHED, "exec_ttl");
        m.put(WorkerState.MAX_MEMORY_REACHED, "max_worker_memory");
        m.put(WorkerState.STOPPED, "exited");
        m.put(WorkerState.INVALID, "invalid");
        m.put(WorkerState.DESTROYED, "reset");
        return m;
    }
}
