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
 * @param user         {@code server.user}: workers run as this user (rr-tcp must be root)
 * @param group        {@code server.group}: and this group (default: the user's own)
 * @param inherited    variables rr-tcp's environment gained from {@code --dotenv} / {@code envfile}: upstream loads them
 *                     into its own environment, so workers get them too, under {@code env}
 */
public record ServerConfig(List<String> command, Map<String, String> env, RelayConfig relay, Duration relayTimeout,
                           Optional<OnInitConfig> onInit, Optional<String> user, Optional<String> group,
                           Map<String, String> inherited) {
    public static final Duration DEFAULT_RELAY_TIMEOUT = Duration.ofSeconds(60);

    public ServerConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        inherited = Map.copyOf(inherited);
    }

    /** As its own user, with no inherited variables. */
    public ServerConfig(List<String> command, Map<String, String> env, RelayConfig relay, Duration relayTimeout,
                        Optional<OnInitConfig> onInit) {
        this(command, env, relay, relayTimeout, onInit, Optional.empty(), Optional.empty(), Map.of());
    }

    /** This section with {@code vars} as the inherited variables. */
    public ServerConfig inheriting(Map<String, String> vars) {
        return new ServerConfig(command, env, relay, relayTimeout, onInit, user, group, vars);
    }

    /** Pipes relay, no on_init. */
    public ServerConfig(List<String> command, Map<String, String> env) {
        this(command, env, RelayConfig.PIPES, DEFAULT_RELAY_TIMEOUT, Optional.empty());
    }
}
