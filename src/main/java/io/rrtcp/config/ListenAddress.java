package io.rrtcp.config;

import java.net.InetSocketAddress;

/**
 * A TCP listen address from the config ({@code host:port}, {@code tcp://host:port}, {@code [::1]:port}, {@code :port}).
 *
 * @param host host name or literal IP without brackets; empty means every local address
 * @param port 0..65535 (0 lets the OS choose)
 */
public record ListenAddress(String host, int port) {
    /**
     * Parses a configured TCP address: {@code host:port}, {@code tcp://host:port}, {@code [v6]:port} or {@code :port}.
     * The host is not resolved here.
     *
     * @throws IllegalArgumentException with upstream's wording, e.g. {@code address 127.0.0.1: missing port in address}
     */
    public static ListenAddress parse(String addr) {
        return ListenAddressParser.parse(addr);
    }

    /**
     * Fails when the host is neither empty, nor an IP literal, nor a name that resolves: such an address could never
     * be bound, and saying so with the config key beats a bind error at start.
     *
     * @throws IllegalArgumentException naming the host
     */
    public ListenAddress requireResolvable() {
        if (!host.isEmpty() && new InetSocketAddress(host, port).isUnresolved()) {
            throw new IllegalArgumentException("host \"" + host + "\" of " + this
                    + " is not an IP address and does not resolve to one");
        }
        return this;
    }

    /** The socket address to bind; resolves {@code host} (an empty host is the wildcard address). */
    public InetSocketAddress toSocketAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** {@code host:port}, with IPv6 literals in brackets, as the user would write it. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
