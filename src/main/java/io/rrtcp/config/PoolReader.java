package io.rrtcp.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code tcp.pool} section and its {@code supervisor}. */
final class PoolReader {
    private static final Set<String> POOL_KEYS = Set.of("num_workers", "max_jobs", "allocate_timeout", "destroy_timeout",
            "command", "max_queue_size", "reset_timeout", "stream_timeout", "debug", "supervisor", "dynamic_allocator");
    private static final Set<String> SUPERVISOR_KEYS =
            Set.of("watch_tick", "ttl", "idle_ttl", "exec_ttl", "max_worker_memory");
    private static final int MAX_WORKERS = 500;
    private static final Duration DEFAULT_TIMEOUT = PoolConfig.DEFAULT_TIMEOUT;

    private PoolReader() {
    }

    static PoolConfig read(Node pool) {
        pool.warnUnknownKeys(POOL_KEYS);
        List<String> command = ServerReader.command(pool.get("command"));
        if (pool.get("dynamic_allocator").isWritten()) {
            pool.get("dynamic_allocator").warn("dynamic allocation is not supported by rr-tcp (ignored); "
                    + "size the pool with num_workers");
        }
        return new PoolConfig(numWorkers(pool.get("num_workers")), maxJobs(pool.get("max_jobs")),
                timeout(pool.get("allocate_timeout")), timeout(pool.get("destroy_timeout")),
                command.isEmpty() ? Optional.empty() : Optional.of(command),
                count(pool.get("max_queue_size"), "0 = no limit"), timeout(pool.get("reset_timeout")),
                timeout(pool.get("stream_timeout")), ServerReader.bool(pool.get("debug"), false), supervisor(pool.get("supervisor")));
    }

    /** {@code tcp.pool.supervisor}: active only when the section is present, as upstream. */
    private static Optional<SupervisorConfig> supervisor(Node node) {
        if (!node.isWritten()) {
            return Optional.empty();
        }
        node.warnUnknownKeys(SUPERVISOR_KEYS);
        if (!node.isAbsent() && !node.isMap()) {
            throw node.error("must be a map, got " + node.shown());
        }
        return Optional.of(new SupervisorConfig(
                ServerReader.orDefault(ConfigLoader.duration(node.get("watch_tick")), SupervisorConfig.DEFAULT_WATCH_TICK),
                ConfigLoader.duration(node.get("ttl")), ConfigLoader.duration(node.get("idle_ttl")), ConfigLoader.duration(node.get("exec_ttl")),
                count(node.get("max_worker_memory"), "megabytes, 0 = no limit")));
    }

    /** A whole number >= 0; absent means 0. */
    private static long count(Node node, String meaning) {
        Long n = node.isAbsent() ? Long.valueOf(0) : node.weakInteger();
        if (n == null || n < 0) {
            throw node.error("must be an integer >= 0 (" + meaning + "), got " + node.shown());
        }
        return n;
    }

    private static int numWorkers(Node node) {
        Long workers = node.isAbsent() ? Long.valueOf(0) : node.weakInteger();
        if (workers == null || workers < 0) {
            throw node.error("must be an integer from 0 (one per CPU) to " + MAX_WORKERS + ", got " + node.shown());
        }
        if (workers > MAX_WORKERS) {
            throw node.error("number of workers can't be more than " + MAX_WORKERS + ", got " + workers);
        }
        return workers == 0 ? Runtime.getRuntime().availableProcessors() : workers.intValue();
    }

    private static long maxJobs(Node node) {
        Long jobs = node.isAbsent() ? Long.valueOf(0) : node.weakInteger();
        if (jobs == null || jobs < 0) {
            throw node.error("must be an integer >= 0 (0 = unlimited), got " + node.shown());
        }
        return jobs;
    }

    /** A pool timeout; absent or zero means 60s as upstream. */
    private static Duration timeout(Node node) {
        return ServerReader.orDefault(ConfigLoader.duration(node), DEFAULT_TIMEOUT);
    }
}
