package io.rrtcp.server;

import com.eclipsesource.json.JsonObject;
import io.rrtcp.ops.PluginCheck;
import io.rrtcp.ops.PluginState;
import io.rrtcp.ops.PoolView;
import io.rrtcp.rpc.WorkerStatus;
import io.rrtcp.tcp.TcpService;
import io.rrtcp.worker.WorkerPool;
import io.rrtcp.worker.WorkerState;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tcp} plugin as {@code /health}, {@code /ready} and the pool metrics see it: its workers (the informer's
 * list) and its listeners. Exists before either is started, so that probes during start-up get a truthful "not yet".
 */
final class TcpCheck implements PluginCheck, PoolView {
    /** States of a worker whose process has ended or not yet answered its handshake. */
    private static final Set<String> NOT_ALIVE = Set.of(WorkerState.INACTIVE.statusStr(),
            WorkerState.STOPPED.statusStr(), WorkerState.ERRORED.statusStr(), WorkerState.DESTROYED.statusStr());

    private volatile WorkerPool pool;
    private volatile TcpService tcp;
    private volatile boolean stopping;

    void attach(WorkerPool pool) {
        this.pool = pool;
    }

    void attach(TcpService tcp) {
        this.tcp = tcp;
    }

    /** From now on /ready answers unavailable: called before any connection is closed. */
    void markStopping() {
        stopping = true;
    }

    /** Stopping, or draining (tcp.shutdown_grace: listeners closed, open connections still served). */
    boolean stopping() {
        TcpService t = tcp;
        return stopping || t != null && t.draining();
    }

    @Override
    public String name() {
        return "tcp";
    }

    /** At least one worker alive and every configured listener accepting. */
    @Override
    public PluginState health() {
        return check(false);
    }

    /** Healthy, at least one worker idle (ready to take a request at once), and rr-tcp not stopping. */
    @Override
    public PluginState readiness() {
        return check(true);
    }

    private PluginState check(boolean ready) {
        List<WorkerStatus> workers = workers();
        long alive = workers.stream().filter(w -> !NOT_ALIVE.contains(w.statusStr())).count();
        long idle = workers.stream().filter(w -> w.statusStr().equals(WorkerState.READY.statusStr())).count();
        TcpService t = tcp;
        Map<String, Boolean> listeners = t == null ? Map.of() : t.accepting();
        JsonObject details = details(workers, alive, listeners);
        List<String> down = listeners.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
        if (alive == 0) {
            return PluginState.unavailable(pool == null ? "workers are not started yet" : "no worker is alive", details);
        }
        if (t == null) {
            return PluginState.unavailable("the listeners are not started yet", details);
        }
        if (!down.isEmpty()) {
            return PluginState.unavailable("not accepting: " + String.join(", ", down), details);
        }
        if (ready && idle == 0) {
            return PluginState.unavailable("no worker is ready: every worker is busy", details);
        }
        return PluginState.ok(details);
    }

    private JsonObject details(List<WorkerStatus> workers, long alive, Map<String, Boolean> listeners) {
        JsonObject byState = new JsonObject();
        for (WorkerStatus w : workers) {
            byState.set(w.statusStr(), byState.getInt(w.statusStr(), 0) + 1);
        }
        JsonObject listening = new JsonObject();
        listeners.forEach((server, up) -> listening.add(server, up ? "accepting" : "closed"));
        WorkerPool p = pool;
        return new JsonObject()
                .add("workers", new JsonObject().add("alive", alive)
                        .add("num_workers", p == null ? 0 : p.options().numWorkers()).add("states", byState))
                .add("listeners", listening);
    }

    @Override
    public List<WorkerStatus> workers() {
        WorkerPool p = pool;
        return p == null ? List.of() : new PoolWorkers(p).workers();
    }

    @Override
    public int queueSize() {
        WorkerPool p = pool;
        return p == null ? 0 : p.queueSize();
    }
}
