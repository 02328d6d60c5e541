package io.rrtcp.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code server.on_init}: a command run once before the workers start.
 *
 * @param command     argv, never empty
 * @param execTimeout after it the command is killed (default 60s)
 * @param env         extra environment (keys upper-cased)
 * @param exitOnError whether a failure aborts the start (default true in rr-tcp; upstream defaults to false)
 */
public record OnInitConfig(List<String> command, Duration execTimeout, Map<String, String> env, boolean exitOnError) {
    public OnInitConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
