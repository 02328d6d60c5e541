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
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final List<Thread> acceptors = new ArrayList<>();
    private WriteWatchdog writeWatchdog;

    private TcpService(List<TcpListener> listeners, RequestExecutor workers) {
        this.listeners = listeners;
        this.workers = workers;
    }

    /**
     * Binds every server's address (all or none: if one fails, the others are released and the error names the
     * address), then starts accepting.
     */
    public static TcpService start(Iterable<TcpServerConfig> servers, RequestExecutor workers) throws IOException {
        List<TcpListener> bound = new ArrayList<>();
        try {
            for (TcpServerConfig server : servers) {
                bound.add(TcpListener.bind(server));
            }
        } catch (IOException e) {
            bound.forEach(TcpListener::close);
            throw e;
        }
        TcpService service = new TcpService(bound, workers);
        service.accept();
        return service;
    }

    private void accept() {
        for (TcpListener listener : listeners) {
            acceptors.add(Thread.ofVirtual().name("accept-" + listener.server().name())
                    .start(() -> listener.acceptLoop((socket, releasePermit) -> {
                        ConnectionHandler handler = new ConnectionHandler(socket, listener.server(), workers, registry,
                                releasePermit);
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
    }

    /** Server name to the address it listens on (the real port when configured as 0). */
    public Map<String, InetSocketAddress> addresses() {
        Map<String, InetSocketAddress> out = new LinkedHashMap<>();
        listeners.forEach(l -> out.put(l.server().name(), l.boundAddress()));
        return out;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    /**
     * Stops accepting, closes every connection and waits up to {@code timeout} for their handlers to deliver the
     * CLOSE events.
     */
    public void stop(Duration timeout) {
        listeners.forEach(TcpListener::close);
        if (writeWatchdog != null) {
            writeWatchdog.stop();
        }
        registry.closeAll("shutdown");
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : List.copyOf(handlers)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!handlers.isEmpty()) {
            LOG.warn("connections still busy after the shutdown deadline", "count", handlers.size());
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
