package io.rrtcp.tcp;

import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.log.Log;
import io.rrtcp.worker.RequestExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All configured TCP servers: their listeners, one virtual thread per connection, the registry of open connections,
 * and an orderly stop that closes every connection and lets its CLOSE event reach a worker.
 */
public final class TcpService implements AutoCloseable {
    private static final Log LOG = Log.get("tcp");
    private final List<TcpListener> listeners;
    private final RequestExecutor workers;
    private final TcpMeters meters;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final List<Thread> acceptors = new ArrayList<>();
    private WriteWatchdog writeWatchdog;
    private final Transports transports;
    private volatile boolean draining;

    private TcpService(List<TcpListener> listeners, RequestExecutor workers, Transports transports, TcpMeters meters) {
        this.listeners = listeners;
        this.workers = workers;
        this.transports = transports;
        this.meters = meters;
    }

    /**
     * Binds every server's address (all or none: if one fails, the others are released and the error names the
     * address), then starts accepting.
     */
    public static TcpService start(Iterable<TcpServerConfig> servers, RequestExecutor workers) throws IOException {
        return start(servers, workers, TcpMeters.NONE);
    }

    /** As {@link #start(Iterable, RequestExecutor)}, counting each server's connections and messages in {@code meters}. */
    public static TcpService start(Iterable<TcpServerConfig> servers, RequestExecutor workers, TcpMeters meters)
            throws IOException {
        Transports transports = Transports.load(servers); // bad TLS files fail here, before any port is taken
        List<TcpListener> bound = new ArrayList<>();
        try {
            for (TcpServerConfig server : servers) {
                bound.add(TcpListener.bind(server));
            }
        } catch (IOException e) {
            bound.forEach(TcpListener::close);
            throw e;
        }
        TcpService service = new TcpService(bound, workers, transports, meters);
        bound.forEach(listener -> service.registry.serving(listener.server()));
        service.accept();
        return service;
    }

    private void accept() {
        for (TcpListener listener : listeners) {
            ServerMeter meter = meters.server(listener.server().name());
            acceptors.add(Thread.ofVirtual().name("accept-" + listener.server().name())
                    .start(() -> listener.acceptLoop((socket, releasePermit) -> {
                        ConnectionHandler handler = new ConnectionHandler(socket, listener.server(),
                                transports.of(listener.server().name()), workers, registry, meter, releasePermit);
                        Thread t = Thread.ofVirtual().unstarted(() -> {
                            try {
                                handler.run(); // gives the permit back itself
                            } finally {
                                handlers.remove(Thread.currentThread());
                            }
                        });
                        handlers.add(t);
                        t.start();
                    })));
            LOG.info("tcp server listening", "server", listener.server().name(), "addr", listener.boundAddress());
        }
        listeners.stream().map(l -> l.server().limits().writeTimeout()).filter(t -> !t.isZero())
                .min(Duration::compareTo).ifPresent(shortest -> {
                    writeWatchdog = new WriteWatchdog(registry, shortest);
                    writeWatchdog.start();
                });
        transports.watch();
    }

    /** Server name to the address it listens on (the real port when configured as 0). */
    public Map<String, InetSocketAddress> addresses() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        listeners.forEach(l -> out.put(l.server().name(), l.boundAddress()));
        return out;
    }

    /** Server name to whether its listener still accepts connections (false once stopped or if its loop ended). */
    public Map<String, Boolean> accepting() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            TcpListener l = listeners.get(i);
            out.put(l.server().name(), l.isOpen() && i < acceptors.size() && acceptors.get(i).isAlive());
        }
        return out;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    /**
     * True from the first moment of a drain or stop: the listeners are closed and new clients are refused. This is
     * the hook for a readiness check (a later {@code /ready} answers "unavailable" while it is true).
     */
    public boolean draining() {
        return draining;
    }

    /**
     * Graceful drain ({@code tcp.shutdown_grace}): closes the listeners at once, so new clients are refused (and a
     * balancer's check sees this instance down), then serves the open connections until they all end by themselves
     * or {@code grace} runs out. Returns how many were still open; {@link #stop} then closes them with their CLOSE
     * events.
     */
    public int drain(Duration grace) {
        long start = System.nanoTime();
        stopAccepting();
        LOG.info("draining: listeners closed, serving the open connections until they end", "shutdown_grace", grace,
                "connections", handlers.size());
        if (awaitHandlers(start + grace.toNanos())) {
            LOG.info("drain complete: every connection ended by itself",
                    "elapsed", Duration.ofMillis((System.nanoTime() - start) / 1_000_000));
            return 0;
        }
        LOG.warn("shutdown_grace ran out: closing the remaining connections", "shutdown_grace", grace,
                "connections", handlers.size());
        return handlers.size();
    }

    /**
     * Stops accepting, closes every connection and waits up to {@code timeout} for their handlers to deliver the
     * CLOSE events.
     */
    public void stop(Duration timeout) {
        stopAccepting();
        transports.stopWatching();
        if (writeWatchdog != null) {
            writeWatchdog.stop();
        }
        registry.closeAll("shutdown");
        if (!awaitHandlers(System.nanoTime() + timeout.toNanos())) {
            LOG.warn("connections still busy after the shutdown deadline", "count", handlers.size());
        }
    }

    /** Closes the listeners and waits (briefly) for the accept loops to end, so no handler starts after this. */
    private void stopAccepting() {
        draining = true;
        listeners.forEach(TcpListener::close);
        for (Thread acceptor : acceptors) {
            acceptor.interrupt(); // one waiting for a max_connections permit does not see the listener close
            try {
                acceptor.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits until every connection's handler has finished or {@code deadline} (nanoTime) passes; true if all did. */
    private boolean awaitHandlers(long deadline) {
        for (Thread t : List.copyOf(handlers)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return handlers.isEmpty();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
