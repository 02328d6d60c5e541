package io.rrtcp.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Whether connections of a server start with a PROXY protocol header (haproxy's {@code doc/proxy-protocol.txt}),
 * and whom to believe it from. Set per server, or under {@code tcp} as the default for every server.
 *
 * @param mode           {@code proxy_protocol}: off (default), v1, v2 or any (either version)
 * @param trustedProxies {@code trusted_proxies}: sources allowed to connect; anyone else is closed without an event
 * @param headerTimeout  {@code proxy_header_timeout}: the whole header must arrive within this (default 5s)
 */
public record ProxyProtocolConfig(Mode mode, List<CidrBlock> trustedProxies, Duration headerTimeout) {
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    public static final ProxyProtocolConfig OFF = new ProxyProtocolConfig(Mode.OFF, List.of(), DEFAULT_HEADER_TIMEOUT);

    /** Which header versions a server accepts. */
    public enum Mode {
        OFF, V1, V2, ANY;

        public boolean accepts(int version) {
            return this == ANY || (version == 1 ? this == V1 : version == 2 && this == V2);
        }

        /** As written in the config. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ProxyProtocolConfig {
        trustedProxies = List.copyOf(trustedProxies);
        if (headerTimeout.isZero() || headerTimeout.isNegative()) {
            throw new IllegalArgumentException("proxy_header_timeout must be positive");
        }
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }

    /** Whether a connection from {@code source} may present a PROXY header. */
    public boolean trusts(InetAddress source) {
        return trustedProxies.stream().anyMatch(block -> block.contains(source));
    }
}
