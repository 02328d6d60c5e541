package io.rrtcp.config;

import java.time.Duration;
import java.util.List;

/** One storage of the {@code kv} section: {@code kv.<name>: {driver: memory | redis, config: {...}}}. */
public sealed interface KvStorageConfig {
    /** The storage's name, as PHP's {@code Factory::select(name)} asks for it. */
    String name();

    /**
     * {@code driver: memory}: kept in rr-tcp's heap, bounded.
     *
     * @param maxKeys {@code config.max_keys}: keys held at once
     * @param maxSize {@code config.max_size}: key and value bytes held at once
     */
    record Memory(String name, long maxKeys, long maxSize) implements KvStorageConfig {
    }

    /**
     * {@code driver: redis}, with upstream's connection keys (go-redis defaults where absent).
     *
     * @param addr         {@code config.addrs}: the one {@code host:port} (cluster and sentinel are not supported)
     * @param dialTimeout  {@code dial_timeout}, default 5s
     * @param readTimeout  {@code read_timeout}, default 3s
     * @param writeTimeout {@code write_timeout}, default {@code read_timeout}
     * @param poolSize     {@code pool_size}: connections at most, default 10 per CPU
     * @param minIdleConns {@code min_idle_conns}, default 0
     * @param poolTimeout  {@code pool_timeout}: longest wait for a free connection, default read_timeout + 1s
     * @param idleTimeout  {@code idle_timeout}: idle connections are closed after it, default 30m
     */
    record Redis(String name, ListenAddress addr, String username, String password, int db, Duration dialTimeout,
                 Duration readTimeout, Duration writeTimeout, int poolSize, int minIdleConns, Duration poolTimeout,
                 Duration idleTimeout) implements KvStorageConfig {
        /** {@code host:port} for messages. */
        public String address() {
            return addr.host() + ":" + addr.port();
        }
    }

    /** Upstream's redis keys that rr-tcp reads. */
    List<String> REDIS_KEYS = List.of("addrs", "username", "password", "db", "dial_timeout", "read_timeout",
            "write_timeout", "pool_size", "min_idle_conns", "pool_timeout", "idle_timeout");
}
