package io.rrtcp.tcp;

/**
 * What a PROXY protocol header said about a connection.
 *
 * @param version     1 (text) or 2 (binary)
 * @param kind        whether it carries the client's address, is a balancer's own check, or carries no address
 * @param source      the client's address as events show it ({@code 1.2.3.4:5}, {@code [2001:db8::1]:5}, a unix
 *                    socket path or {@code @} for an unnamed one); null unless {@code kind} is PROXIED
 * @param destination the address the client connected to, in the same form; null unless PROXIED
 */
record ProxyHeader(int version, Kind kind, String source, String destination) {
    enum Kind {
        /** The connection is relayed for the client named in the header. */
        PROXIED,
        /** v2 LOCAL: the balancer's own connection (a health check); served by nobody. */
        LOCAL,
        /** v1 UNKNOWN or v2 PROXY with an unspecified family: relayed, but the header names no address. */
        UNKNOWN
    }

    static ProxyHeader proxied(int version, String source, String destination) {
        return new ProxyHeader(version, Kind.PROXIED, source, destination);
    }
}
