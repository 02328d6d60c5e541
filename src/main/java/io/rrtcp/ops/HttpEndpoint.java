package io.rrtcp.ops;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.rrtcp.config.ListenAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One small HTTP server of the JDK on a loopback or public address, a virtual thread per exchange. */
final class HttpEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} now (a taken port fails here, naming {@code keys}) and serves each path prefix with its
     * handler.
     *
     * @param keys the config keys that asked for this address, for the error message (e.g. "status.address")
     */
    static HttpEndpoint start(ListenAddress address, String keys, Map<String, HttpHandler> handlers) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address.toSocketAddress(), 64);
        } catch (IOException e) {
            throw new IOException(keys + ": cannot listen on " + address + ": " + e.getMessage(), e);
        }
        handlers.forEach(server::createContext);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        return new HttpEndpoint(server, executor);
    }

    /** The bound address (the real port when configured as 0). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
