package io.rrtcp.goridge;

import io.rrtcp.log.Log;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The listening side of a socket relay ({@code server.relay: tcp://host:port} or {@code unix:///path.sock}): workers
 * connect to it; right after accepting, rr-tcp speaks first with the pid control frame and files the connection under
 * the pid the worker reports. A spawner then claims the connection of the process it started with {@link #await}.
 * A connection that fails the pid exchange is closed and the server keeps accepting (upstream stops for good: P11).
 */
public final class SocketRelayServer implements AutoCloseable {
    private static final Log LOG = Log.get("relay");
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rr-tcp-relay-timer");
        t.setDaemon(true);
        return t;
    });
    private static final Duration POLL = Duration.ofMillis(10);

    private final ServerSocketChannel server;
    private final String dsn;
    private final Path socketFile;
    private final Duration handshakeTimeout;
    private final Map<Long, CompletableFuture<SocketChannel>> arrivals = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private SocketRelayServer(ServerSocketChannel server, String dsn, Path socketFile, Duration handshakeTimeout) {
        this.server = server;
        this.dsn = dsn;
        this.socketFile = socketFile;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** Listens on TCP {@code host:port} (port 0: a free one, shown in {@link #dsn()}). */
    public static SocketRelayServer tcp(String host, int port, Duration handshakeTimeout) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            ch.close();
            throw new IOException("server.relay: cannot listen on tcp://" + host + ":" + port + ": " + e.getMessage(), e);
        }
        int bound = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return start(new SocketRelayServer(ch, "tcp://" + shownHost + ":" + bound, null, handshakeTimeout));
    }

    /**
     * Listens on a unix socket; a stale socket file at {@code file} is removed first, as upstream does.
     *
     * @param shown the path as workers should see it in {@code RR_RELAY}
     */
    public static SocketRelayServer unix(Path file, String shown, Duration handshakeTimeout) throws IOException {
        Files.deleteIfExists(file);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(file));
        } catch (IOException e) {
            ch.close();
            throw new IOException("server.relay: cannot listen on unix://" + file + ": " + e.getMessage(), e);
        }
        return start(new SocketRelayServer(ch, "unix://" + shown, file, handshakeTimeout));
    }

    private static SocketRelayServer start(SocketRelayServer relay) {
        Thread.ofVirtual().name("relay-accept").start(relay::acceptLoop);
        LOG.info("socket relay listening", "relay", relay.dsn);
        return relay;
    }

    /** The address workers connect to, as {@code RR_RELAY} tells them (with the real port). */
    public String dsn() {
        return dsn;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("socket relay stopped accepting", "relay", dsn, "error", e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name("relay-handshake").start(() -> handshake(ch));
        }
    }

    /** RR speaks first: the pid request; the reply's pid is the routing key. */
    private void handshake(SocketChannel ch) {
        var watchdog = TIMER.schedule(() -> closeQuietly(ch), handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        long pid;
        try {
            Channels.newOutputStream(ch).write(PidHandshake.REQUEST);
            InputStream in = Channels.newInputStream(ch);
            pid = PidHandshake.pidOf(FrameCodec.read(in, PidHandshake.MAX_REPLY));
        } catch (IOException | RuntimeException e) {
            LOG.warn("relay connection failed the pid handshake; closed", "relay", dsn, "error", e.getMessage());
            closeQuietly(ch);
            return;
        } finally {
            watchdog.cancel(false);
        }
        CompletableFuture<SocketChannel> slot = arrivals.computeIfAbsent(pid, k -> new CompletableFuture<>());
        if (!slot.complete(ch)) {
            LOG.warn("a second relay connection for the same pid; closed", "pid", pid, "relay", dsn);
            closeQuietly(ch);
            return;
        }
        // nobody claims it (not a process we started): drop it after the handshake timeout
        TIMER.schedule(() -> {
            if (arrivals.remove(pid, slot)) {
                LOG.warn("relay connection from a process rr-tcp did not start; closed", "pid", pid);
                closeQuietly(ch);
            }
        }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The connection of the worker with {@code pid}, waiting up to {@code timeout}; fails early when
     * {@code alive} turns false (the process died before connecting).
     */
    public SocketChannel await(long pid, Duration timeout, BooleanSupplier alive) throws IOException {
        CompletableFuture<SocketChannel> slot = arrivals.computeIfAbsent(pid, k -> new CompletableFuture<>());
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel claimed = null;
        try {
            while (true) {
                try {
                    claimed = slot.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                    return claimed;
                } catch (TimeoutException e) {
                    if (closed) {
                        throw new IOException("the socket relay is closed");
                    }
                    if (!alive.getAsBoolean()) {
                        throw new IOException("the process exited before it connected to " + dsn);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("did not connect to the relay " + dsn + " within relay_timeout="
                                + timeout.toMillis() + "ms");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the worker to connect");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            arrivals.remove(pid, slot);
            if (claimed == null && !slot.cancel(false) && slot.state() == Future.State.SUCCESS) {
                closeQuietly(slot.resultNow()); // it connected just too late
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        arrivals.values().forEach(f -> {
            if (f.state() == Future.State.SUCCESS) {
                closeQuietly(f.resultNow());
            }
        });
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                LOG.warn("cannot remove the relay socket file", "path", socketFile, "error", e.getMessage());
            }
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a dead socket; nothing to release
        }
    }
}
