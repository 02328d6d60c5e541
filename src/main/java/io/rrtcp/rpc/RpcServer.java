package io.rrtcp.rpc;

import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.goridge.FrameException;
import io.rrtcp.log.Log;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * goridge RPC on {@code rpc.listen}: one virtual thread per client connection reads requests one after another; each
 * request runs on its own virtual thread and its reply is written as one whole frame when ready, so replies may leave
 * out of order (matched by sequence id), as upstream. A broken header closes the connection once the in-flight
 * replies are written.
 */
public final class RpcServer implements AutoCloseable {
    private static final Log LOG = Log.get("rpc");
    /** Largest request payload accepted (the spec suggests 16 MiB for RPC). */
    static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    private final RpcAddress address;
    private final ServerSocketChannel server;
    private volatile RpcDispatcher dispatcher;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    /** Calls in flight over all connections (see {@link CallBudget}). */
    private final CallBudget total = CallBudget.total();
    private final Thread acceptor;
    private volatile boolean closed;

    private RpcServer(RpcAddress address, ServerSocketChannel server) {
        this.address = address;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("rpc-accept").unstarted(this::acceptLoop);
    }

    /** Binds {@code dsn} and starts accepting; the error names the address when it cannot be bound. */
    public static RpcServer start(String dsn, RpcDispatcher dispatcher) throws IOException {
        return bind(dsn).serve(dispatcher);
    }

    /**
     * Binds {@code dsn} without accepting yet, so that its real address (port 0 resolved) can be handed to workers
     * before the methods' targets exist.
     */
    public static RpcServer bind(String dsn) throws IOException {
        RpcAddress requested;
        try {
            requested = RpcAddress.parse(dsn);
        } catch (IllegalArgumentException e) {
            throw new IOException("rpc.listen: " + e.getMessage(), e);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(requested.family());
        try {
            if (requested.isUnix()) {
                // a socket file left by a previous run would make bind fail, as it does for upstream's listener
                Files.deleteIfExists(((UnixDomainSocketAddress) requested.socketAddress()).getPath());
            }
            channel.bind(requested.resolved(), 1024);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("rpc.listen: cannot listen on " + dsn + ": " + e.getMessage(), e);
        }
        RpcAddress bound = requested.isUnix() ? requested : boundTcp((InetSocketAddress) channel.getLocalAddress());
        return new RpcServer(bound, channel);
    }

    /** Starts accepting connections and answering them with {@code methods}. */
    public RpcServer serve(RpcDispatcher methods) {
        this.dispatcher = methods;
        acceptor.start();
        LOG.info("rpc server listening", "addr", address.dsn());
        return this;
    }

    private static RpcAddress boundTcp(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return RpcAddress.parse("tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    /** The address clients dial, with the real port when the config said 0. */
    public RpcAddress address() {
        return address;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("rpc: failed to accept a connection", "error", e.getMessage());
                    sleepBriefly();
                }
                continue;
            }
            clients.add(client);
            Thread.ofVirtual().name("rpc-conn").start(() -> {
                try {
                    serve(client);
                } finally {
                    clients.remove(client);
                }
            });
        }
    }

    /**
     * Reads requests until EOF or a bad header; each one is answered on its own virtual thread. The next request is
     * read only when the connection's and the server's {@link CallBudget} have room, so a client that does not read
     * its replies (which then cannot be written) stops being read. Once a reply cannot be written the client is gone:
     * the calls it still has queued are dropped unrun.
     */
    private void serve(SocketChannel client) {
        RpcConnection connection = new RpcConnection(client);
        CallBudget own = CallBudget.perConnection();
        try (client; ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            InputStream in = new BufferedInputStream(Channels.newInputStream(client), 16 * 1024);
            while (!connection.gone()) {
                Frame request = FrameCodec.read(in, MAX_PAYLOAD);
                if (request == null) {
                    return;
                }
                String problem = headerProblem(request);
                if (problem != null) {
                    LOG.warn("rpc: closing the connection: " + problem);
                    return;
                }
                CallBudget.Grant mine = own.acquire(request.payload().length);
                CallBudget.Grant shared = total.acquire(request.payload().length);
                calls.submit(() -> {
                    try {
                        if (!connection.gone()) {
                            connection.reply(dispatcher.handle(request));
                        }
                    } finally {
                        shared.release();
                        mine.release();
                    }
                });
            }
        } catch (FrameException e) {
            LOG.warn("rpc: closing the connection: " + e.getMessage());
        } catch (IOException e) {
            if (!closed && !connection.gone()) {
                LOG.debug("rpc: connection ended", "error", e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** RPC calls read and not yet answered (or dropped), over all connections. */
    public int callsInFlight() {
        return total.inFlight(CallBudget.CALLS_TOTAL);
    }

    private static String headerProblem(Frame request) {
        if (request.options().length != 2) {
            return "should be 2 options. SEQ_ID and METHOD_LEN";
        }
        int methodLength = request.options()[1];
        if (methodLength < 0 || methodLength > request.payload().length) {
            return "method length offset exceeds payload bounds";
        }
        return null;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops accepting and closes every client connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("rpc: closing the listener failed", "error", e.getMessage());
        }
        for (SocketChannel c : clients) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
        if (address.isUnix()) {
            try {
                Files.deleteIfExists(((UnixDomainSocketAddress) address.socketAddress()).getPath());
            } catch (IOException e) {
                LOG.debug("rpc: cannot remove the socket file", "error", e.getMessage());
            }
        }
    }
}
