package io.rrtcp.tcp;

import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.log.Log;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/** One configured server: binds at start (a taken port fails then), then accepts on a virtual thread. */
final class TcpListener {
    private static final Log LOG = Log.get("tcp");
    private static final int BACKLOG = 4096;
    private static final long LONGEST_ACCEPT_PAUSE_MS = 1000;

    private final TcpServerConfig server;
    private final ServerSocket socket;
    private volatile boolean closed;

    private TcpListener(TcpServerConfig server, ServerSocket socket) {
        this.server = server;
        this.socket = socket;
    }

    /** Binds the server's address now, so that a taken port is reported at start, naming the address. */
    static TcpListener bind(TcpServerConfig server) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(server.addr().toSocketAddress(), BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException("tcp.servers." + server.name() + ": cannot listen on " + server.addr() + ": "
                    + e.getMessage(), e);
        }
        return new TcpListener(server, socket);
    }

    /** The address actually bound (with the real port when the config said 0). */
    InetSocketAddress boundAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    TcpServerConfig server() {
        return server;
    }

    /**
     * Accepts until closed, handing each socket to {@code onAccept} with the permit it holds (release it when the
     * connection ends). With {@code max_connections}, a permit is taken <em>before</em> {@code accept()}: extra
     * clients wait in the kernel's backlog, connected but unserved, instead of being accepted and dropped.
     * Accept errors are logged and retried.
     */
    void acceptLoop(BiConsumer<Socket, Runnable> onAccept) {
        int max = server.limits().maxConnections();
        Semaphore permits = new Semaphore(max > 0 ? max : Integer.MAX_VALUE);
        long pauseMs = 10;
        while (!closed) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            Socket client;
            try {
                client = socket.accept();
                pauseMs = 10;
            } catch (IOException e) {
                permits.release();
                if (closed) {
                    return;
                }
                // e.g. out of file descriptors: keep the server alive and try again shortly (upstream stops for good)
                LOG.error("failed to accept the connection", "server", server.name(), "error", e.getMessage(),
                        "retry_in_ms", pauseMs);
                sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, LONGEST_ACCEPT_PAUSE_MS);
                continue;
            }
            try {
                client.setTcpNoDelay(true);
                client.setKeepAlive(true);
            } catch (IOException e) {
                LOG.debug("cannot set socket options", "server", server.name(), "error", e.getMessage());
            }
            onAccept.accept(client, permits::release);
        }
    }

    /** True until {@link #close()}, while the socket is bound. */
    boolean isOpen() {
        return !closed && !socket.isClosed();
    }

    void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("listener close failed", "server", server.name(), "error", e.getMessage());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
