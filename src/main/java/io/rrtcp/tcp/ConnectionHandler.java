package io.rrtcp.tcp;

import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.log.Log;
import io.rrtcp.worker.Body;
import io.rrtcp.worker.Payload;
import io.rrtcp.worker.RequestExecutor;
import io.rrtcp.worker.WorkerException;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.UUID;

/**
 * The life of one connection, on its own virtual thread: CONNECTED, then a DATA event per message while the worker's
 * verb keeps the connection open, then exactly one CLOSE event, whatever ended it, if CONNECTED reached a worker.
 */
final class ConnectionHandler implements Runnable {
    private static final Log LOG = Log.get("tcp");

    private final Socket socket;
    private final TcpServerConfig server;
    private final RequestExecutor workers;
    private final ConnectionRegistry registry;
    private final ReadTimeouts timeouts;
    private boolean eventDelivered;

    ConnectionHandler(Socket socket, TcpServerConfig server, RequestExecutor workers, ConnectionRegistry registry) {
        this.socket = socket;
        this.server = server;
        this.workers = workers;
        this.registry = registry;
        this.timeouts = new ReadTimeouts(socket, server.limits().idleTimeout(), server.limits().readTimeout(),
                System::nanoTime);
    }

    @Override
    public void run() {
        ProxyPreamble.Peer peer = ProxyPreamble.identify(socket, server);
        if (peer == null) {
            closeQuietly();
            return;
        }
        Connection connection;
        try {
            connection = new Connection(socket, UUID.randomUUID().toString(), server.name(), peer.remoteAddr(),
                    server.limits().writeTimeout());
        } catch (IOException e) {
            LOG.warn("connection lost before it could be served", "server", server.name(), "error", e.getMessage());
            closeQuietly();
            return;
        }
        EventContext context = new EventContext(connection.remoteAddr(), server.name(), connection.uuid(),
                peer.proxyAddr());
        registry.add(connection);
        LOG.debug("connection accepted", "server", server.name(), "uuid", connection.uuid(),
                "remote_addr", connection.remoteAddr());
        String ended = "client closed the connection";
        try {
            ended = serve(connection, context);
        } catch (WorkerException e) {
            ended = "worker failed: " + e.getMessage();
            LOG.warn("closing the connection: the worker failed its event", "server", server.name(),
                    "uuid", connection.uuid(), "pid", e.pid(), "error", e.getMessage());
        } catch (LimitExceededException e) {
            ended = limitExceeded(connection, e);
        } catch (SocketTimeoutException e) {
            ended = limitExceeded(connection, timeouts.explain(e));
        } catch (IOException e) {
            ended = connection.closedBy() != null ? "closed by " + connection.closedBy() : "read/write error: " + e.getMessage();
            if (connection.closedBy() == null) {
                LOG.info("connection error", "server", server.name(), "uuid", connection.uuid(), "error", e.getMessage());
            }
        } finally {
            registry.remove(connection);
            connection.close("handler");
            if (eventDelivered) {
                deliverClose(connection, context);
            }
        }
        LOG.debug("connection closed", "server", server.name(), "uuid", connection.uuid(), "reason", ended);
    }

    private String limitExceeded(Connection connection, LimitExceededException e) {
        LOG.warn("closing the connection: " + e.key() + " exceeded", "server", server.name(), "uuid", connection.uuid(),
                "remote_addr", connection.remoteAddr(), "error", e.getMessage(),
                "raise", "tcp.servers." + server.name() + "." + e.key());
        return e.key() + " exceeded";
    }

    /** Connected, then messages until a verb or the client ends it; returns why it ended. */
    private String serve(Connection connection, EventContext context) throws WorkerException, IOException {
        Verb verb = dispatch(connection, context, TcpEvent.CONNECTED, Body.EMPTY);
        DelimiterScanner messages = new DelimiterScanner(socket.getInputStream(), server.delimiter(),
                server.readBufSize(), server.limits().maxMessageSize(), timeouts.enabled() ? timeouts : ReadGuard.NONE);
        while (verb.keepsOpen()) {
            long before = messages.bytesRead();
            Body message = messages.nextBody();
            connection.countIn(messages.bytesRead() - before);
            if (message == null) {
                return "client closed the connection";
            }
            verb = dispatch(connection, context, TcpEvent.DATA, message);
        }
        return "worker answered " + verb;
    }

    private Verb dispatch(Connection connection, EventContext context, TcpEvent event, Body body)
            throws WorkerException, IOException {
        Payload reply;
        try {
            reply = workers.exec(new Payload(context.of(event), body));
        } catch (WorkerException e) {
            eventDelivered |= e.delivered();
            throw e;
        }
        eventDelivered = true;
        Verb verb = Verb.of(reply.context());
        if (verb.writes()) {
            connection.write(reply.data());
        }
        if (verb == Verb.UNKNOWN) {
            LOG.warn("worker answered with an unknown verb; closing the connection", "server", server.name(),
                    "uuid", connection.uuid(), "verb", reply.contextText());
        }
        return verb;
    }

    private void deliverClose(Connection connection, EventContext context) {
        try {
            workers.execClose(new Payload(context.of(TcpEvent.CLOSE), Body.EMPTY));
        } catch (WorkerException e) {
            LOG.warn("failed to send close event to worker", "server", server.name(), "uuid", connection.uuid(),
                    "pid", e.pid(), "error", e.getMessage());
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken; nothing to release
        }
    }
}
