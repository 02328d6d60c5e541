package io.rrtcp.worker;

import io.rrtcp.goridge.SocketRelayServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to start one worker process.
 *
 * @param command       argv
 * @param env           variables added to rr-tcp's own environment (RR_MODE, RR_RELAY, server.env ...)
 * @param workdir       the worker's working directory
 * @param startTimeout  bound on start plus pid handshake over pipes (allocate_timeout)
 * @param stopTimeout   bound on a graceful stop before the process is killed (destroy_timeout)
 * @param maxPayload    largest reply payload accepted from the worker, in bytes
 * @param streamTimeout bound on reading the rest of a streamed reply (stream_timeout)
 * @param relay         the socket relay workers connect to; empty for pipes (stdin/stdout)
 * @param relayTimeout  bound on the wait for a worker to connect to the socket relay (relay_timeout)
 * @param runAs         the user and group the worker runs as (server.user, server.group), or {@link RunAs#NONE}
 */
public record WorkerSpec(List<String> command, Map<String, String> env, Path workdir,
                         Duration startTimeout, Duration stopTimeout, int maxPayload, Duration streamTimeout,
                         Optional<SocketRelayServer> relay, Duration relayTimeout, RunAs runAs) {
    public static final int DEFAULT_MAX_PAYLOAD = 1 << 30;

    public WorkerSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("worker command must not be empty");
        }
    }

    /** Running as rr-tcp's own user. */
    public WorkerSpec(List<String> command, Map<String, String> env, Path workdir, Duration startTimeout,
                      Duration stopTimeout, int maxPayload, Duration streamTimeout, Optional<SocketRelayServer> relay,
                      Duration relayTimeout) {
        this(command, env, workdir, startTimeout, stopTimeout, maxPayload, streamTimeout, relay, relayTimeout, RunAs.NONE);
    }

    /** Pipes relay; stream_timeout equal to the stop timeout. */
    public WorkerSpec(List<String> command, Map<String, String> env, Path workdir, Duration startTimeout,
                      Duration stopTimeout, int maxPayload) {
        this(command, env, workdir, startTimeout, stopTimeout, maxPayload, stopTimeout, Optional.empty(), startTimeout);
    }
}
