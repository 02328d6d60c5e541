package io.rrtcp.config;

import java.time.Duration;

/**
 * The limits that protect rr-tcp and its workers from any one client; set per server, or under {@code tcp} as the
 * default for every server.
 *
 * @param maxMessageSize longest message in bytes, delimiter included, before the connection is closed (default 16 MB)
 * @param idleTimeout    no bytes from the client for this long closes the connection; zero = off (default)
 * @param readTimeout    a message that started arriving must be complete within this; zero = off (default)
 * @param maxConnections connections served at once; further clients wait in the kernel backlog; 0 = unlimited
 * @param writeTimeout   longest a write to the client may block before the connection is closed (default 60s);
 *                       zero = off
 */
public record ConnectionLimits(int maxMessageSize, Duration idleTimeout, Duration readTimeout, int maxConnections,
                               Duration writeTimeout) {
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1_048_576;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_MAX_MESSAGE_SIZE, Duration.ZERO,
            Duration.ZERO, 0, DEFAULT_WRITE_TIMEOUT);

    public ConnectionLimits {
        if (maxMessageSize < 1 || maxConnections < 0 || idleTimeout.isNegative() || readTimeout.isNegative()
                || writeTimeout.isNegative()) {
            throw new IllegalArgumentException("connection limits must not be negative");
        }
    }
}
