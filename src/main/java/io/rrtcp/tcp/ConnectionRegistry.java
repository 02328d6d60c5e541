package io.rrtcp.tcp;

import io.rrtcp.config.TcpServerConfig;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections by uuid, for RPC methods (tcp.Close and later ones) and for shutdown. */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<String, Connection> byUuid = new ConcurrentHashMap<>();
    private final Map<String, TcpServerConfig> servers = new ConcurrentHashMap<>();
    private volatile String closingReason;

    /** Records a served server's config, for RPC methods that describe it (its framing in {@code tcp.List}). */
    void serving(TcpServerConfig server) {
        servers.put(server.name(), server);
    }

    /** The servers whose connections this registry holds, by name. */
    public Map<String, TcpServerConfig> servers() {
        return Map.copyOf(servers);
    }

    /** Registers a connection; during shutdown it is closed at once (it slipped in while the listeners closed). */
    void add(Connection connection) {
        byUuid.put(connection.uuid(), connection);
        String reason = closingReason;
        if (reason != null) {
            connection.close(reason);
        }
    }

    void remove(Connection connection) {
        byUuid.remove(connection.uuid(), connection);
    }

    public Optional<Connection> find(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    /** Closes the connection with that uuid, if open; true if there was one. */
    public boolean close(String uuid, String reason) {
        Connection c = byUuid.remove(uuid);
        if (c == null) {
            return false;
        }
        c.close(reason);
        return true;
    }

    public Collection<Connection> all() {
        return List.copyOf(byUuid.values());
    }

    public int size() {
        return byUuid.size();
    }

    /** Closes every connection; their handlers then deliver CLOSE events. */
    public void closeAll(String reason) {
        closingReason = reason;
        byUuid.values().forEach(c -> c.close(reason));
    }
}
