package io.rrtcp.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the command line adds to a config file: {@code -o key.path=value} overrides and the environment that
 * {@code ${VAR}} references read (the process environment plus a {@code --dotenv} file).
 *
 * @param overrides {@code key.path=value} texts, applied in order
 * @param env       variables for substitution
 */
public record ConfigOptions(List<String> overrides, Map<String, String> env) {
    public ConfigOptions {
        overrides = List.copyOf(overrides);
        env = Map.copyOf(env);
    }

    /** No overrides; the process environment. */
    public static ConfigOptions defaults() {
        return new ConfigOptions(List.of(), System.getenv());
    }

    /**
     * The process environment plus the dotenv file (environment variable {@code DOTENV_PATH} wins over
     * {@code dotenvFlag}, as upstream); variables already set are never overridden.
     *
     * @param dotenvFlag {@code --dotenv}, or null
     * @throws ConfigException when the dotenv file cannot be read or parsed
     */
    public static ConfigOptions of(List<String> overrides, Path dotenvFlag) {
        Map<String, String> env = new HashMap<>(System.getenv());
        String fromEnv = env.get("DOTENV_PATH");
        Path dotenv = fromEnv != null && !fromEnv.isEmpty() ? Path.of(fromEnv) : dotenvFlag;
        if (dotenv != null) {
            Dotenv.read(dotenv).forEach(env::putIfAbsent);
        }
        return new ConfigOptions(overrides, env);
    }
}
