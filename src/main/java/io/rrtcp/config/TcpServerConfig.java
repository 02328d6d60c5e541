package io.rrtcp.config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One entry of {@code tcp.servers}.
 *
 * @param name        the server's name (lower-cased), sent to workers as {@code server}
 * @param addr        where to listen
 * @param delimiter   message delimiter bytes, never empty (default {@code "\r\n"})
 * @param readBufSize read size in bytes for this server (its own {@code read_buf_size}, else the section's)
 * @param limits      its connection limits (its own keys, else the {@code tcp} section's, else the defaults)
 * @param proxy       its PROXY protocol settings (its own keys, else the {@code tcp} section's; off by default)
 * @param tls         its {@code tls} section: implicit TLS or STARTTLS; empty for plain TCP
 */
public record TcpServerConfig(String name, ListenAddress addr, byte[] delimiter, int readBufSize,
                              ConnectionLimits limits, ProxyProtocolConfig proxy, Optional<TlsConfig> tls) {
    public TcpServerConfig {
        delimiter = delimiter.clone();
    }

    /** A server without TLS. */
    public TcpServerConfig(String name, ListenAddress addr, byte[] delimiter, int readBufSize,
                           ConnectionLimits limits, ProxyProtocolConfig proxy) {
        this(name, addr, delimiter, readBufSize, limits, proxy, Optional.empty());
    }

    /** A server without the PROXY protocol and without TLS. */
    public TcpServerConfig(String name, ListenAddress addr, byte[] delimiter, int readBufSize,
                           ConnectionLimits limits) {
        this(name, addr, delimiter, readBufSize, limits, ProxyProtocolConfig.OFF);
    }

    /** A server with the default limits. */
    public TcpServerConfig(String name, ListenAddress addr, byte[] delimiter, int readBufSize) {
        this(name, addr, delimiter, readBufSize, ConnectionLimits.DEFAULTS);
    }

    @Override
    public byte[] delimiter() {
        return delimiter.clone();
    }

    @Override
    public String toString() {
        return "TcpServerConfig[name=" + name + ", addr=" + addr + ", delimiter="
                + new String(delimiter, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n")
                + ", readBufSize=" + readBufSize + ", limits=" + limits + ", proxy=" + proxy + ", tls=" + tls + "]";
    }
}
