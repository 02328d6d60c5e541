package io.rrtcp.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server for tests: Debian's package (installed when missing), on a free 127.0.0.1 port, with its own
 * folder, no persistence ({@code --save ''}, no AOF), stopped by pid. It can be stopped and started again on the same
 * port, to test what clients do while Redis is down.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Daemon daemon;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static RedisServer start(Path dir) throws IOException, InterruptedException {
        DebianPackages.require("redis-server", "redis-server");
        RedisServer redis = new RedisServer(dir, Daemon.freePort());
        redis.startAgain();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, as {@code kv.<name>.config.addrs} takes it. */
    public String addr() {
        return "127.0.0.1:" + port;
    }

    /** Starts redis-server (again) on the same port and waits until it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        Path binary = DebianPackages.require("redis-server", "redis-server");
        daemon = Daemon.start("redis-" + port, dir, List.of(binary.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--protected-mode", "no"));
        daemon.awaitPort(port, Duration.ofSeconds(20));
    }

    /** Stops it (SIGTERM by pid, SIGKILL after 10 s); its port refuses connections afterwards. */
    public void stop() {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
