package io.rrtcp.rpc;

import io.rrtcp.config.ListenAddress;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * An RPC socket DSN, {@code tcp://host:port} or {@code unix:///path}, as {@code rpc.listen} and {@code --rpc} give it.
 *
 * @param dsn the text as written
 */
public record RpcAddress(String dsn, SocketAddress socketAddress) {
    /** @throws IllegalArgumentException with upstream's wording for anything without a known scheme */
    public static RpcAddress parse(String dsn) {
        String[] parts = dsn.split("://", -1);
        if (parts.length != 2 || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid socket DSN (tcp://:6001, unix://file.sock): " + dsn);
        }
        return switch (parts[0]) {
            case "tcp" -> {
                ListenAddress a = ListenAddress.parse(parts[1]);
                yield new RpcAddress(dsn, a.host().isEmpty()
                        ? new InetSocketAddress("127.0.0.1", a.port()) : InetSocketAddress.createUnresolved(a.host(), a.port()));
            }
            case "unix" -> new RpcAddress(dsn, UnixDomainSocketAddress.of(Path.of(parts[1])));
            default -> throw new IllegalArgumentException("invalid socket DSN (tcp://:6001, unix://file.sock): " + dsn);
        };
    }

    boolean isUnix() {
        return socketAddress instanceof UnixDomainSocketAddress;
    }

    StandardProtocolFamily family() {
        return isUnix() ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET;
    }

    /** The address to bind/connect, with a host name resolved now. */
    SocketAddress resolved() {
        if (socketAddress instanceof InetSocketAddress a && a.isUnresolved()) {
            return new InetSocketAddress(a.getHostString(), a.getPort());
        }
        return socketAddress;
    }

    @Override
    public String toString() {
        return dsn;
    }
}
