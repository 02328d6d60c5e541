package io.rrtcp.rpc;

import io.rrtcp.log.Log;

import java.util.List;
import java.util.Map;

/** {@code informer.*} and {@code resetter.*}: the plugins' workers, as upstream names and shapes them. */
final class WorkerMethods {
    private static final Log LOG = Log.get("rpc");

    private final Map<String, ManagedWorkers> plugins;

    WorkerMethods(Map<String, ManagedWorkers> plugins) {
        this.plugins = Map.copyOf(plugins);
    }

    void registerOn(RpcDispatcher d) {
        d.register("informer.List", Args.Type.BOOL, arg -> names());
        d.register("informer.Workers", Args.Type.STRING, arg -> workers((String) arg));
        d.register("informer.Jobs", Args.Type.STRING, arg -> Replies.NoJobs.INSTANCE);
        d.register("informer.AddWorker", Args.Type.STRING, arg -> manage((String) arg, true));
        d.register("informer.RemoveWorker", Args.Type.STRING, arg -> manage((String) arg, false));
        d.register("resetter.List", Args.Type.BOOL, arg -> names());
        d.register("resetter.Reset", Args.Type.STRING, arg -> reset((String) arg));
    }

    private List<String> names() {
        return plugins.keySet().stream().sorted().toList();
    }

    /** An unknown plugin gives {@code {"workers":null}}, as upstream. */
    private Replies.WorkerList workers(String plugin) {
        ManagedWorkers w = plugins.get(plugin);
        return new Replies.WorkerList(w == null ? null : w.workers());
    }

    /** Replies {@code false} on success: upstream never sets the reply (kept for wire compatibility). */
    private Boolean manage(String plugin, boolean add) throws RpcException {
        ManagedWorkers w = plugins.get(plugin);
        if (w == null) {
            throw new RpcException("plugin does not support workers management: " + plugin);
        }
        try {
            if (add) {
                w.addWorker();
            } else {
                w.removeWorker();
            }
        } catch (Exception e) {
            throw new RpcException(e.getMessage(), e);
        }
        LOG.info(add ? "worker added" : "worker removed", "plugin", plugin);
        return Boolean.FALSE;
    }

    private Boolean reset(String plugin) throws RpcException {
        ManagedWorkers w = plugins.get(plugin);
        if (w == null) {
            throw new RpcException("no such plugin: " + plugin);
        }
        LOG.info("resetting plugin", "plugin", plugin);
        try {
            w.reset();
        } catch (Exception e) {
            throw new RpcException(plugin + "_reset: " + e.getMessage(), e);
        }
        LOG.info("plugin reset", "plugin", plugin);
        return Boolean.TRUE;
    }
}
