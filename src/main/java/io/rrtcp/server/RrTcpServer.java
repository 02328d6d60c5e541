package io.rrtcp.server;

import io.rrtcp.config.OnInitConfig;
import io.rrtcp.config.PoolConfig;
import io.rrtcp.config.RelayConfig;
import io.rrtcp.config.ServerConfig;
import io.rrtcp.goridge.SocketRelayServer;
import io.rrtcp.kv.KvService;
import io.rrtcp.kv.Storages;
import io.rrtcp.worker.InitCommand;
import io.rrtcp.worker.SupervisorOptions;
import io.rrtcp.config.RrConfig;
import io.rrtcp.log.Log;
import io.rrtcp.ops.Ops;
import io.rrtcp.reload.Reloader;
import io.rrtcp.rpc.RpcAddress;
import io.rrtcp.rpc.RpcDispatcher;
import io.rrtcp.rpc.RpcServer;
import io.rrtcp.tcp.ConnectionRegistry;
import io.rrtcp.tcp.TcpService;
import io.rrtcp.worker.PoolOptions;
import io.rrtcp.worker.WorkerException;
import io.rrtcp.worker.RunAs;
import io.rrtcp.worker.WorkerFactory;
import io.rrtcp.worker.WorkerPool;
import io.rrtcp.worker.WorkerProcess;
import io.rrtcp.worker.WorkerSpec;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One running rr-tcp: the worker pool started from {@code server}/{@code tcp.pool}, then the TCP servers on top of it.
 * Stopping reverses that: connections close and their CLOSE events go out, then the workers stop.
 */
public final class RrTcpServer implements AutoCloseable {
    private static final Log LOG = Log.get("rr-tcp");
    private static final long MEGABYTE = 1_048_576;
    /**
     * Longest wait of {@code tcp.Send}/{@code tcp.Broadcast} for a client whose server has {@code write_timeout: 0}
     * (writes otherwise unbounded); elsewhere the server's write_timeout applies. A client that does not read within
     * it is closed, so that the RPC caller (often a worker) is never held longer.
     */
    static final Duration RPC_WRITE_TIMEOUT = Duration.ofSeconds(60);

    private final RrConfig config;
    private final WorkerPool pool;
    private final TcpService tcp;
    private final Optional<SocketRelayServer> relay;
    private final Optional<RpcServer> rpc;
    private final Optional<Reloader> reload;
    private final Optional<KvService> kv;
    private final Ops ops;
    private final TcpCheck check;

    private RrTcpServer(RrConfig config, WorkerPool pool, TcpService tcp, Optional<SocketRelayServer> relay,
                        Optional<RpcServer> rpc, Optional<Reloader> reload, Optional<KvService> kv, Ops ops,
                        TcpCheck check) {
        this.config = config;
        this.pool = pool;
        this.tcp = tcp;
        this.relay = relay;
        this.rpc = rpc;
        this.reload = reload;
        this.kv = kv;
        this.ops = ops;
        this.check = check;
    }

    /**
     * Starts workers, then binds every listener. Fails (and leaves nothing running) if a worker cannot start or an
     * address cannot be bound.
     *
     * @param workdir the workers' working directory
     */
    public static RrTcpServer start(RrConfig config, Path workdir) throws WorkerException, IOException {
        ServerConfig server = config.server();
        // status and metrics first: probes get truthful answers (not ready yet) while on_init and the workers run
        TcpCheck check = new TcpCheck();
        Ops ops = Ops.start(config.ops(), check, List.of(check), check::stopping);
        config.tcp().servers().keySet().forEach(ops.tcpMeters()::server); // every server's series from the first scrape
        Optional<RpcServer> rpc = Optional.empty();
        Optional<SocketRelayServer> relay = Optional.empty();
        Optional<KvService> kv = kv(config);
        WorkerPool pool = null;
        Optional<Reloader> reload = Optional.empty();
        try {
            if (server.onInit().isPresent()) {
                runOnInit(server.onInit().get(), workdir);
            }
            // RPC binds before the workers start, so that they get its real address in RR_RPC (also for port 0)
            rpc = config.rpc().isPresent() ? Optional.of(RpcServer.bind(config.rpc().get().listen())) : Optional.empty();
            relay = relay(server, workdir);
            WorkerSpec spec = workerSpec(config, workdir, relay, rpc.map(r -> r.address().dsn()));
            WorkerFactory factory = () -> WorkerProcess.start(spec);
            pool = new WorkerPool(poolOptions(config.tcp().pool()), factory, ops.poolMeter());
            check.attach(pool);
            pool.start();
            if (config.reload().isPresent()) {
                reload = Optional.of(Reloader.start(config.reload().get(), workdir, new PoolReloadTarget(pool, factory)));
            }
            TcpService tcp = TcpService.start(config.tcp().servers().values(), pool, ops.tcpMeters());
            check.attach(tcp);
            RpcDispatcher dispatcher = RpcDispatcher.of(tcp.registry(), config.tcp().servers().keySet(),
                    Map.of("tcp", new PoolWorkers(pool)), RPC_WRITE_TIMEOUT, Version.current());
            kv.ifPresent(dispatcher::withKv);
            ops.registerRpc(dispatcher);
            rpc.ifPresent(r -> r.serve(dispatcher));
            return new RrTcpServer(config, pool, tcp, relay, rpc, reload, kv, ops, check);
        } catch (WorkerException | IOException | RuntimeException e) {
            reload.ifPresent(Reloader::close);
            if (pool != null) {
                pool.close();
            }
            relay.ifPresent(SocketRelayServer::close);
            rpc.ifPresent(RpcServer::close);
            kv.ifPresent(KvService::close);
            ops.close();
            throw e;
        }
    }

    /** The {@code kv} storages, when configured; they are reached over RPC only, so they need an {@code rpc} section. */
    private static Optional<KvService> kv(RrConfig config) {
        if (config.kv().isEmpty()) {
            return Optional.empty();
        }
        if (config.rpc().isEmpty()) {
            LOG.warn("kv storages are configured but there is no rpc section: workers cannot reach them",
                    "storages", String.join(",", config.kv().keySet()));
        }
        return Optional.of(Storages.open(config.kv(), InstantSource.system()));
    }

    private static void runOnInit(OnInitConfig onInit, Path workdir) throws WorkerException {
        try {
            InitCommand.run(onInit.command(), onInit.env(), workdir, onInit.execTimeout());
        } catch (WorkerException e) {
            if (onInit.exitOnError()) {
                throw e;
            }
            LOG.error("on_init failed; starting anyway (on_init.exit_on_error: false)", "error", e.getMessage());
        }
    }

    /** The listening side of a socket relay, if {@code server.relay} asks for one. */
    private static Optional<SocketRelayServer> relay(ServerConfig server, Path workdir) throws IOException {
        RelayConfig relay = server.relay();
        return switch (relay.type()) {
            case PIPES -> Optional.empty();
            case TCP -> Optional.of(SocketRelayServer.tcp(relay.host(), relay.port(), server.relayTimeout()));
            case UNIX -> Optional.of(SocketRelayServer.unix(workdir.resolve(relay.path()), relay.path(),
                    server.relayTimeout()));
        };
    }

    static PoolOptions poolOptions(PoolConfig pool) {
        Optional<SupervisorOptions> supervisor = pool.supervisor().map(s -> new SupervisorOptions(s.watchTick(),
                s.ttl(), s.idleTtl(), s.execTtl(), s.maxWorkerMemoryMb() * MEGABYTE));
        return new PoolOptions(pool.numWorkers(), pool.maxJobs(), pool.allocateTimeout(), pool.destroyTimeout(),
                pool.resetTimeout(), pool.maxQueueSize(), pool.debug(), supervisor);
    }

    static WorkerSpec workerSpec(RrConfig config, Path workdir, Optional<SocketRelayServer> relay) {
        return workerSpec(config, workdir, relay, config.rpc().map(r -> r.listen()));
    }

    /**
     * The worker command and environment, layered as upstream does (later entries win).
     *
     * @param rpcAddress the RPC server's real address for {@code RR_RPC}, when there is one
     */
    static WorkerSpec workerSpec(RrConfig config, Path workdir, Optional<SocketRelayServer> relay,
                                 Optional<String> rpcAddress) {
        PoolConfig poolConfig = config.tcp().pool();
        List<String> command = poolConfig.command().orElse(config.server().command());
        Map<String, String> env = new LinkedHashMap<>(config.server().inherited());
        env.put("RR_RELAY", relay.map(SocketRelayServer::dsn).orElse("pipes"));
        rpcAddress.ifPresent(dsn -> env.put("RR_RPC", dsn));
        env.putAll(config.server().env());
        env.put("RR_VERSION", Version.current());
        env.put("RR_MODE", "tcp");
        return new WorkerSpec(command, env, workdir, poolConfig.allocateTimeout(), poolConfig.destroyTimeout(),
                WorkerSpec.DEFAULT_MAX_PAYLOAD, poolConfig.streamTimeout(), relay, config.server().relayTimeout(),
                new RunAs(config.server().user(), config.server().group()));
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

    /** The RPC server's address (real port), when the config has an {@code rpc} section. */
    public Optional<RpcAddress> rpcAddress() {
        return rpc.map(RpcServer::address);
    }

    /** RPC calls read and not yet answered, over all RPC connections (0 without an rpc section). */
    public int rpcCallsInFlight() {
        return rpc.map(RpcServer::callsInFlight).orElse(0);
    }

    public RrConfig config() {
        return config;
    }

    /** The bound addresses of "status" and "metrics" (real ports), for the sections configured. */
    public Map<String, InetSocketAddress> opsAddresses() {
        return ops.addresses();
    }

    /**
     * True from the first moment of a drain or stop (listeners closed): what a readiness endpoint reports as
     * unavailable.
     */
    public boolean draining() {
        return tcp.draining();
    }

    /**
     * Orderly stop: no new connections; with {@code tcp.shutdown_grace}, the open ones first get that long to end by
     * themselves; then every one still open is closed with its CLOSE event delivered ({@code destroy_timeout}), then
     * the workers stop ({@code destroy_timeout} again).
     */
    @Override
    public void close() {
        check.markStopping(); // /ready says no before the drain turns any client away
        Duration grace = config.tcp().shutdownGrace();
        if (!grace.isZero()) {
            tcp.drain(grace); // RPC stays up meanwhile: workers serving the drained connections may still call it
        }
        LOG.info("stopping: closing connections, then workers", "destroy_timeout", config.tcp().pool().destroyTimeout());
        reload.ifPresent(Reloader::close);
        rpc.ifPresent(RpcServer::close);
        tcp.stop(config.tcp().pool().destroyTimeout());
        pool.close();
        relay.ifPresent(SocketRelayServer::close);
        kv.ifPresent(KvService::close);
        ops.close();
    }
}
