package io.rrtcp.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tcp} section.
 *
 * @param servers     named servers in file order; names lower-cased as upstream does (Q16); never empty
 * @param readBufSize default read size in bytes ({@code tcp.read_buf_size} MB x 1 048 576)
 * @param pool        the {@code tcp.pool} section
 * @param shutdownGrace {@code tcp.shutdown_grace}: on SIGTERM, how long open connections may go on after the
 *                      listeners closed (zero, the default: they are closed at once)
 */
public record TcpConfig(Map<String, TcpServerConfig> servers, int readBufSize, PoolConfig pool, Duration shutdownGrace) {
    public TcpConfig {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }

    /** Without a drain on shutdown. */
    public TcpConfig(Map<String, TcpServerConfig> servers, int readBufSize, PoolConfig pool) {
        this(servers, readBufSize, pool, Duration.ZERO);
    }
}
