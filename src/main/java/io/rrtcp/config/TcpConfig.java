package io.rrtcp.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tcp} section.
 *
 * @param servers     named servers in file order; names lower-cased as upstream does (Q16); never empty
 * @param readBufSize default read size in bytes ({@code tcp.read_buf_size} MB x 1 048 576)
 * @param pool        the {@code tcp.pool} section
 */
public record TcpConfig(Map<String, TcpServerConfig> servers, int readBufSize, PoolConfig pool) {
    public TcpConfig {
        servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
    }
}
