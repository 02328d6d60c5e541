package io.rrtcp.tcp;

import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.log.Log;
import io.rrtcp.goridge.Body;
import io.rrtcp.goridge.Payload;
import io.rrtcp.worker.RequestExecutor;
import io.rrtcp.worker.WorkerException;

import java.io.IOException;
import java.io.InputStream;
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
    /** Gives back this connection's max_connections permit; run once, when the connection is over. */
    private final Runnable releasePermit;
    private final Transport transport;
    private final ServerMeter meter;
    private boolean eventDelivered;
    /** The last verb a worker answered; one that does not keep the connection open is why it ended. */
    private Verb lastVerb = Verb.CONTINUE;

    ConnectionHandler(Socket socket, TcpServerConfig server, Transport transport, RequestExecutor workers,
                      ConnectionRegistry registry, ServerMeter meter, Runnable releasePermit) {
        this.transport = transport;
        this.socket = socket;
        this.meter = meter;
        this.releasePermit = releasePermit;
        this.server = server;
        this.workers = workers;
        this.registry = registry;
        this.timeouts = new ReadTimeouts(socket, server.limits().idleTimeout(), server.limits().readTimeout(),
                System::nanoTime);
    }

    /** The connection's whole life; its max_connections permit is given back however it ends. */
    @Override
    public void run() {
        try {
            ProxyPreamble.Peer peer = ProxyPreamble.identify(socket, server);
            if (peer == null) {
                closeQuietly();
                return;
            }
            Connection connection = open(peer);
            if (connection != null) {
                handle(connection, peer);
            }
        } finally {
            releasePermit.run();
        }
    }

    /** The connection, or null when the socket was lost before it could be served (then it is closed). */
    private Connection open(ProxyPreamble.Peer peer) {
        try {
            return new Connection(socket, UUID.randomUUID().toString(), server.name(), peer.remoteAddr(),
                    server.limits().writeTimeout(), meter);
        } catch (IOException e) {
            LOG.warn("connection lost before it could be served", "server", server.name(), "error", e.getMessage());
            closeQuietly();
            return null;
        }
    }

    private void handle(Connection connection, ProxyPreamble.Peer peer) {
        EventContext context = new EventContext(connection.remoteAddr(), server.name(), connection.uuid(),
                peer.proxyAddr());
        registry.add(connection);
        meter.opened();
        LOG.debug("connection accepted", "server", server.name(), "uuid", connection.uuid(),
                "remote_addr", connection.remoteAddr());
        String ended = "client closed the connection";
        CloseReason why = CloseReason.CLIENT;
        try {
            ended = serve(connection, context);
            why = lastVerb.keepsOpen() ? CloseReason.CLIENT : CloseReason.VERB;
        } catch (WorkerException e) {
            ended = "worker failed: " + e.getMessage();
            why = CloseReason.WORKER_ERROR;
            LOG.warn("closing the connection: the worker failed its event", "server", server.name(),
                    "uuid", connection.uuid(), "pid", e.pid(), "error", e.getMessage());
        } catch (LimitExceededException e) {
            ended = limitExceeded(connection, e);
            why = CloseReason.ofLimit(e.key());
        } catch (FrameFormatException e) {
            ended = "malformed frame";
            why = CloseReason.ERROR;
            LOG.warn("closing the connection: malformed frame", "server", server.name(), "uuid", connection.uuid(),
                    "remote_addr", connection.remoteAddr(), "error", e.getMessage(), "framing", server.framingText());
        } catch (SocketTimeoutException e) {
            LimitExceededException limit = timeouts.explain(e);
            ended = limitExceeded(connection, limit);
            why = CloseReason.ofLimit(limit.key());
        } catch (TlsHandshakeException e) {
            ended = "tls handshake failed";
            why = CloseReason.TLS_HANDSHAKE;
            Object[] facts = {"server", server.name(), "uuid", connection.uuid(), "remote_addr", connection.remoteAddr(),
                    "error", e.getMessage()};
            if (e.clientLeft()) {
                LOG.info("closing the connection: the client left during the TLS handshake", facts); // health checks do
            } else {
                LOG.warn("closing the connection: the TLS handshake failed", facts);
            }
        } catch (IOException e) {
            ended = connection.closedBy() != null ? "closed by " + connection.closedBy() : "read/write error: " + e.getMessage();
            why = connection.closedBy() != null ? CloseReason.ofClosedBy(connection.closedBy()) : CloseReason.ERROR;
            if (connection.closedBy() == null) {
                LOG.info("connection error", "server", server.name(), "uuid", connection.uuid(), "error", e.getMessage());
            }
        } finally {
            registry.remove(connection);
            connection.finish();
            meter.closed(why);
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
        Link link = connection.use(transport, false); // implicit TLS: the handshake, before CONNECTED
        context.tls(link.tls());
        Verb verb = dispatch(connection, context, TcpEvent.CONNECTED, Body.EMPTY);
        Framer messages = messages(link.in());
        while (verb.keepsOpen()) {
            long before = messages.bytesRead();
            Body message = messages.nextBody();
            connection.countIn(messages.bytesRead() - before);
            if (message == null) {
                return "client closed the connection";
            }
            verb = dispatch(connection, context, TcpEvent.DATA, message);
            if (verb.keepsOpen() && connection.takeStartTlsRequest()) {
                messages = startTls(connection, context, messages);
            }
        }
        return "worker answered " + verb;
    }

    private Framer messages(InputStream in) {
        return Framer.of(server, in, timeouts.enabled() ? timeouts : ReadGuard.NONE);
    }

    /**
     * STARTTLS, after the worker's reply that went with {@code tcp.StartTLS} was written. The plain reader is dropped
     * with every byte it had read past the STARTTLS command: commands pipelined behind it (by the client or by a man
     * in the middle) are never executed inside the TLS session (CVE-2011-0411). Bytes still in the kernel go to the
     * TLS handshake, which fails on them.
     */
    private Framer startTls(Connection connection, EventContext context, Framer plain)
            throws IOException {
        int discarded = plain.buffered();
        if (discarded > 0) {
            LOG.warn("STARTTLS: discarded bytes the client sent after the command, before TLS", "server", server.name(),
                    "uuid", connection.uuid(), "remote_addr", connection.remoteAddr(), "bytes", discarded);
        }
        Link link = connection.use(transport, true);
        context.tls(link.tls());
        LOG.debug("STARTTLS done", "server", server.name(), "uuid", connection.uuid(),
                "version", link.tls().map(TlsFacts::version).orElse("?"));
        return messages(link.in());
    }

    private Verb dispatch(Connection connection, EventContext context, TcpEvent event, Body body)
            throws WorkerException, IOException {
        Payload reply;
        try {
            meter.event(event);
            reply = workers.exec(new Payload(context.of(event), body), meter);
        } catch (WorkerException e) {
            eventDelivered |= e.delivered();
            throw e;
        }
        eventDelivered = true;
        Verb verb = Verb.of(reply.context());
        lastVerb = verb;
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
            meter.event(TcpEvent.CLOSE);
            workers.execClose(new Payload(context.of(TcpEvent.CLOSE), Body.EMPTY), meter);
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
