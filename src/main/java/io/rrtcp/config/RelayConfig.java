package io.rrtcp.config;

/**
 * {@code server.relay}: how workers exchange frames with rr-tcp.
 *
 * @param type pipes (stdin/stdout), or a socket rr-tcp listens on and every worker connects to
 * @param host TCP host (non-empty: PHP workers cannot dial {@code tcp://:PORT}); empty otherwise
 * @param port TCP port; 0 picks a free one, which workers learn from {@code RR_RELAY}
 * @param path unix socket path (relative to the working directory unless absolute); empty otherwise
 */
public record RelayConfig(Type type, String host, int port, String path) {
    public static final RelayConfig PIPES = new RelayConfig(Type.PIPES, "", 0, "");

    /** The relay kinds upstream knows. */
    public enum Type { PIPES, TCP, UNIX }

    /** The value as written in the config (and given to workers in {@code RR_RELAY}). */
    public String dsn() {
        return switch (type) {
            case PIPES -> "pipes";
            case TCP -> "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
            case UNIX -> "unix://" + path;
        };
    }
}
