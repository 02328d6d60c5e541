package io.rrtcp.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code server} section: how to start a PHP worker.
 *
 * @param command      argv of the worker ({@code server.command}, already split); never empty
 * @param env          extra environment for workers ({@code server.env}); keys upper-cased as upstream does
 * @param relay        {@code server.relay} (default pipes)
 * @param relayTimeout longest wait for a worker to connect to a socket relay (default 60s)
 * @param onInit       {@code server.on_init}, when present
 */
public record ServerConfig(List<String> command, Map<String, String> env, RelayConfig relay, Duration relayTimeout,
                           Optional<OnInitConfig> onInit) {
    public static final Duration DEFAULT_RELAY_TIMEOUT = Duration.ofSeconds(60);

    public ServerConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /** Pipes relay, no on_init. */
    public ServerConfig(List<String> command, Map<String, String> env) {
        this(command, env, RelayConfig.PIPES, DEFAULT_RELAY_TIMEOUT, Optional.empty());
    }
}
