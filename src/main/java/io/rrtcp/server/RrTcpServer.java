package io.rrtcp.server;

import io.rrtcp.cli.VersionProvider;
import io.rrtcp.config.PoolConfig;
import io.rrtcp.config.RrConfig;
import io.rrtcp.log.Log;
import io.rrtcp.tcp.ConnectionRegistry;
import io.rrtcp.tcp.TcpService;
import io.rrtcp.worker.PoolOptions;
import io.rrtcp.worker.WorkerException;
import io.rrtcp.worker.WorkerPool;
import io.rrtcp.worker.WorkerProcess;
import io.rrtcp.worker.WorkerSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One running rr-tcp: the worker pool started from {@code server}/{@code tcp.pool}, then the TCP servers on top of it.
 * Stopping reverses that: connections close and their CLOSE events go out, then the workers stop.
 */
public final class RrTcpServer implements AutoCloseable {
    private static final Log LOG = Log.get("rr-tcp");

    private final RrConfig config;
    private final WorkerPool pool;
    private final TcpService tcp;

    private RrTcpServer(RrConfig config, WorkerPool pool, TcpService tcp) {
        this.config = config;
        this.pool = pool;
        this.tcp = tcp;
    }

    /**
     * Starts workers, then binds every listener. Fails (and leaves nothing running) if a worker cannot start or an
     * address cannot be bound.
     *
     * @param workdir the workers' working directory
     */
    public static RrTcpServer start(RrConfig config, Path workdir) throws WorkerException, IOException {
        WorkerSpec spec = workerSpec(config, workdir);
        PoolConfig poolConfig = config.tcp().pool();
        WorkerPool pool = new WorkerPool(new PoolOptions(poolConfig.numWorkers(), poolConfig.maxJobs(),
                poolConfig.allocateTimeout(), poolConfig.destroyTimeout()), () -> WorkerProcess.start(spec));
        pool.start();
        try {
            TcpService tcp = TcpService.start(config.tcp().servers().values(), pool);
            return new RrTcpServer(config, pool, tcp);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** The worker command and environment, layered as upstream does (later entries win). */
    static WorkerSpec workerSpec(RrConfig config, Path workdir) {
        PoolConfig poolConfig = config.tcp().pool();
        List<String> command = poolConfig.command().orElse(config.server().command());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RR_RELAY", "pipes");
        config.rpc().ifPresent(rpc -> env.put("RR_RPC", rpc.listen()));
        env.putAll(config.server().env());
        env.put("RR_VERSION", VersionProvider.version());
        env.put("RR_MODE", "tcp");
        return new WorkerSpec(command, env, workdir, poolConfig.allocateTimeout(), poolConfig.destroyTimeout(),
                WorkerSpec.DEFAULT_MAX_PAYLOAD);
    }

    public WorkerPool pool() {
        return pool;
    }

    public ConnectionRegistry connections() {
        return tcp.registry();
    }

    /** Server name to bound address. */
    public Map<String, InetSocketAddress> addresses() {
        return tcp.addresses();
    }

    public RrConfig config() {
        return config;
    }

    /** Orderly stop: no new connections, every open one closed with its CLOSE event delivered, then the workers. */
    @Override
    public void close() {
        LOG.info("stopping: closing connections, then workers", "destroy_timeout", config.tcp().pool().destroyTimeout());
        tcp.stop(config.tcp().pool().destroyTimeout());
        pool.close();
    }
}
