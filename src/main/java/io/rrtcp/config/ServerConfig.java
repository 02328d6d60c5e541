package io.rrtcp.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code server} section: how to start a PHP worker.
 *
 * @param command argv of the worker ({@code server.command}, already split); never empty
 * @param env     extra environment for workers ({@code server.env}); keys upper-cased as upstream does
 */
public record ServerConfig(List<String> command, Map<String, String> env) {
    public ServerConfig {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }
}
