package io.rrtcp.tcp;

import io.rrtcp.config.ProxyProtocolConfig;
import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.log.Log;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The start of a connection on a server with {@code proxy_protocol} on: only a source in {@code trusted_proxies} may
 * connect, and its PROXY header must arrive whole within {@code proxy_header_timeout}. It is read from the raw socket
 * before anything else (before TLS, before the first message), once, and decides the addresses events show.
 */
final class ProxyPreamble {
    private static final Log LOG = Log.get("tcp");

    /**
     * Who a connection's events name.
     *
     * @param remoteAddr the client: from the PROXY header when there is one, else the socket's peer
     * @param proxyAddr  the balancer that relayed it (the socket's peer), or null without the PROXY protocol
     */
    record Peer(String remoteAddr, String proxyAddr) {
    }

    private ProxyPreamble() {
    }

    /** The peer a connection's events show, or null when it must be closed without any event (said in the log). */
    static Peer identify(Socket socket, TcpServerConfig server) {
        String peer = RemoteAddress.format(socket.getRemoteSocketAddress());
        ProxyProtocolConfig proxy = server.proxy();
        if (!proxy.enabled()) {
            return new Peer(peer, null);
        }
        if (!(socket.getRemoteSocketAddress() instanceof InetSocketAddress source)
                || !proxy.trusts(source.getAddress())) {
            LOG.warn("closing the connection: its source is not in trusted_proxies", "server", server.name(),
                    "remote_addr", peer, "trusted_proxies", proxy.trustedProxies());
            return null;
        }
        try {
            ProxyHeader header = readWithin(socket, proxy);
            return switch (header.kind()) {
                case PROXIED -> new Peer(header.source(), peer);
                case UNKNOWN -> new Peer(peer, peer); // the header names no client: the spec says use the real peer
                case LOCAL -> {
                    LOG.debug("balancer health check (PROXY v2 LOCAL) closed without an event", "server",
                            server.name(), "proxy_addr", peer);
                    yield null;
                }
            };
        } catch (ProxyHeaderException e) {
            if (e.silentProbe()) {
                LOG.debug("closed before a PROXY header (a port probe or plain TCP check)", "server", server.name(),
                        "proxy_addr", peer);
            } else {
                LOG.warn("closing the connection: bad PROXY header", "server", server.name(), "proxy_addr", peer,
                        "error", e.getMessage());
            }
        } catch (SocketTimeoutException e) {
            LOG.warn("closing the connection: no complete PROXY header within proxy_header_timeout", "server",
                    server.name(), "proxy_addr", peer, "proxy_header_timeout", proxy.headerTimeout());
        } catch (IOException e) {
            // e.g. a balancer's plain TCP check resetting the connection: nothing a worker or an operator can act on
            LOG.debug("connection lost before the PROXY header", "server", server.name(), "proxy_addr", peer,
                    "error", e.getMessage());
        }
        return null;
    }

    private static ProxyHeader readWithin(Socket socket, ProxyProtocolConfig proxy) throws IOException {
        int previousTimeout = socket.getSoTimeout();
        try {
            return ProxyHeaderParser.read(new Deadline(socket, System.nanoTime() + proxy.headerTimeout().toNanos()),
                    proxy.mode());
        } finally {
            socket.setSoTimeout(previousTimeout);
        }
    }

    /** The socket's input with one deadline for all reads together: a trickled header cannot stretch it. */
    private static final class Deadline extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        Deadline(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }

        private void arm() throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("PROXY header deadline passed");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        }
    }
}
