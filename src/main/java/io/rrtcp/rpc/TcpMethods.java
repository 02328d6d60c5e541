package io.rrtcp.rpc;

import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.log.Log;
import io.rrtcp.tcp.Connection;
import io.rrtcp.tcp.ConnectionRegistry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code tcp.Close} (upstream) and rr-tcp's {@code tcp.Send}, {@code tcp.Broadcast}, {@code tcp.List},
 * {@code tcp.StartTLS}.
 * Writes go through {@link Connection#write}, so they never interleave with the connection's own worker replies;
 * each write runs on its own virtual thread and the caller waits at most the connection's server's
 * {@code write_timeout} (or {@code unboundedWrites} where that is off): a client that does not read is closed rather
 * than allowed to hold the RPC caller.
 */
final class TcpMethods {
    private static final Log LOG = Log.get("rpc");

    private final ConnectionRegistry connections;
    private final Set<String> servers;
    /** The bound for connections whose server has no write_timeout. */
    private final Duration unboundedWrites;

    TcpMethods(ConnectionRegistry connections, Set<String> servers, Duration unboundedWrites) {
        this.connections = connections;
        this.servers = Set.copyOf(servers);
        this.unboundedWrites = unboundedWrites;
    }

    /** How long a write to {@code c} may take: its server's write_timeout. */
    private Duration writeTimeout(Connection c) {
        Duration own = c.writeTimeout();
        return own.isZero() ? unboundedWrites : own;
    }

    void registerOn(RpcDispatcher d) {
        d.register("tcp.Close", Args.Type.STRING, arg -> close((String) arg));
        d.register("tcp.Send", Args.Type.OBJECT, arg -> send((JsonObject) arg));
        d.register("tcp.Broadcast", Args.Type.OBJECT, arg -> broadcast((JsonObject) arg));
        d.register("tcp.List", Args.Type.BOOL, arg -> list());
        d.register("tcp.StartTLS", Args.Type.STRING, arg -> startTls((String) arg));
    }

    /**
     * Switches the connection to TLS right after its current reply is written (a worker calls it while handling
     * {@code STARTTLS}, then answers {@code 220 Ready to start TLS}).
     */
    private Boolean startTls(String uuid) throws RpcException {
        Connection c = connections.find(uuid).orElseThrow(() -> new RpcException("no such connection: " + uuid));
        try {
            c.requestStartTls();
        } catch (IllegalStateException e) {
            throw new RpcException(e.getMessage());
        }
        LOG.debug("tcp.StartTLS: TLS starts after the current reply", "uuid", uuid);
        return Boolean.TRUE;
    }

    /** True also for an unknown uuid, as upstream. */
    private Boolean close(String uuid) {
        if (connections.close(uuid, "tcp.Close")) {
            LOG.debug("connection closed by tcp.Close", "uuid", uuid);
        }
        return Boolean.TRUE;
    }

    private Boolean send(JsonObject arg) throws RpcException {
        String uuid = Args.string(arg, "uuid");
        byte[] data = Args.string(arg, "data").getBytes(StandardCharsets.UTF_8);
        Connection c = connections.find(uuid).orElseThrow(() -> new RpcException("no such connection: " + uuid));
        CompletableFuture<Void> write = startWrite(c, data);
        Duration writeTimeout = writeTimeout(c);
        try {
            write.get(writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return Boolean.TRUE;
        } catch (TimeoutException e) {
            c.close("tcp.Send write timeout");
            throw timedOut(uuid, writeTimeout);
        } catch (ExecutionException e) {
            if ("write_timeout".equals(c.closedBy())) { // the server's own watch closed it first: the same bound
                throw timedOut(uuid, writeTimeout);
            }
            throw new RpcException("write to connection " + uuid + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException("interrupted");
        }
    }

    private static RpcException timedOut(String uuid, Duration writeTimeout) {
        return new RpcException("write to connection " + uuid + " timed out after " + writeTimeout.toMillis()
                + "ms (the client does not read); connection closed");
    }

    /** Writes to every connection of the server (but {@code except}); returns how many got the data in time. */
    private Long broadcast(JsonObject arg) throws RpcException {
        String server = Args.string(arg, "server");
        String except = Args.optionalString(arg, "except", "");
        byte[] data = Args.string(arg, "data").getBytes(StandardCharsets.UTF_8);
        if (!servers.contains(server)) {
            throw new RpcException("no such tcp server: " + server + " (servers: " + servers.stream().sorted().toList() + ")");
        }
        record Pending(Connection connection, CompletableFuture<Void> write, long deadline) {
        }
        List<Pending> pending = new ArrayList<>();
        for (Connection c : connections.all()) {
            if (c.server().equals(server) && !c.uuid().equals(except)) {
                pending.add(new Pending(c, startWrite(c, data), System.nanoTime() + writeTimeout(c).toNanos()));
            }
        }
        long written = 0;
        for (Pending p : pending) {
            try {
                p.write().get(Math.max(0, p.deadline() - System.nanoTime()), TimeUnit.NANOSECONDS);
                written++;
            } catch (TimeoutException e) {
                p.connection().close("tcp.Broadcast write timeout");
                LOG.warn("tcp.Broadcast: client does not read; connection closed", "uuid", p.connection().uuid(),
                        "write_timeout", writeTimeout(p.connection()));
            } catch (ExecutionException e) {
                LOG.debug("tcp.Broadcast: write failed", "uuid", p.connection().uuid(), "error", e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcException("interrupted");
            }
        }
        return written;
    }

    private JsonValue list() {
        Map<String, TcpServerConfig> configs = connections.servers();
        JsonArray out = new JsonArray();
        connections.all().stream().sorted(Comparator.comparing(Connection::connectedAt)).forEach(c -> out.add(
                new JsonObject()
                        .add("uuid", c.uuid())
                        .add("server", c.server())
                        .add("remote_addr", c.remoteAddr())
                        .add("connected_at", DateTimeFormatter.ISO_INSTANT.format(c.connectedAt()))
                        .add("bytes_in", c.bytesIn())
                        .add("bytes_out", c.bytesOut())
                        .add("framing", framingOf(configs.get(c.server())))));
        JsonObject servers = new JsonObject();
        configs.values().stream().sorted(Comparator.comparing(TcpServerConfig::name))
                .forEach(s -> servers.add(s.name(), new JsonObject().add("framing", s.framingText())));
        return new JsonObject().add("connections", out).add("servers", servers);
    }

    /** The framing of a connection's server: delimiter, length or raw. */
    private static String framingOf(TcpServerConfig server) {
        return server == null ? "" : server.framing().kind();
    }

    private static CompletableFuture<Void> startWrite(Connection c, byte[] data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().name("rpc-write-" + c.uuid()).start(() -> {
            try {
                c.write(data);
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
