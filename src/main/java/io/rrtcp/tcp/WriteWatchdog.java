package io.rrtcp.tcp;

import io.rrtcp.log.Log;

import java.time.Duration;

/**
 * Enforces {@code write_timeout}: a socket write cannot time out by itself, so one thread looks at every connection a
 * few times per timeout and closes those whose write has been blocked too long (a client that does not read). The
 * blocked write then fails, and the connection ends with its CLOSE event. The worker was released before the write.
 */
final class WriteWatchdog {
    private static final Log LOG = Log.get("tcp");

    private final ConnectionRegistry registry;
    private final Duration period;
    private volatile boolean stopped;

    /** @param shortestTimeout the smallest write_timeout in use; checks run four times per it (10 ms to 1 s apart) */
    WriteWatchdog(ConnectionRegistry registry, Duration shortestTimeout) {
        this.registry = registry;
        long ms = Math.max(10, Math.min(1000, shortestTimeout.toMillis() / 4));
        this.period = Duration.ofMillis(ms);
    }

    void start() {
        Thread.ofVirtual().name("write-watchdog").start(this::run);
    }

    void stop() {
        stopped = true;
    }

    private void run() {
        while (!stopped) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : registry.all()) {
                if (c.writeOverdue(now)) {
                    LOG.warn("closing the connection: write_timeout exceeded", "server", c.server(), "uuid", c.uuid(),
                            "remote_addr", c.remoteAddr(), "error", "the client has not read its data for "
                                    + c.writeTimeout().toMillis() + "ms", "raise", "tcp.servers." + c.server() + ".write_timeout");
                    c.close("write_timeout");
                }
            }
        }
    }
}
