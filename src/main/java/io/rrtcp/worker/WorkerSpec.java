package io.rrtcp.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How to start one worker process.
 *
 * @param command      argv
 * @param env          variables added to rr-tcp's own environment (RR_MODE, RR_RELAY, server.env ...)
 * @param workdir      the worker's working directory
 * @param startTimeout bound on start plus pid handshake (allocate_timeout)
 * @param stopTimeout  bound on a graceful stop before the process is killed (destroy_timeout)
 * @param maxPayload   largest reply payload accepted from the worker, in bytes
 */
public record WorkerSpec(List<String> command, Map<String, String> env, Path workdir,
                         Duration startTimeout, Duration stopTimeout, int maxPayload) {
    public static final int DEFAULT_MAX_PAYLOAD = 1 << 30;

    public WorkerSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("worker command must not be empty");
        }
    }
}
