package io.rrtcp.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a worker's environment and identity take from the config besides {@code server.env}. */
final class ServerEnvironment {
    private ServerEnvironment() {
    }

    /**
     * The variables of {@code env} that rr-tcp's process environment lacks or has otherwise: the ones a dotenv file
     * added (set variables already won when the file was read).
     */
    static Map<String, String> gained(Map<String, String> env) {
        Map<String, String> own = System.getenv();
        Map<String, String> gained = new LinkedHashMap<>();
        new TreeMap<>(env).forEach((k, v) -> {
            if (!v.equals(own.get(k))) {
                gained.put(k, v);
            }
        });
        return gained;
    }

    /** {@code server.user} / {@code server.group}: a non-empty name, or empty when absent or "". */
    static Optional<String> name(Node node) {
        if (node.isAbsent() || "".equals(node.value())) {
            return Optional.empty();
        }
        if (!(node.value() instanceof String name) || name.isBlank() || name.startsWith("-")) {
            throw node.error("must be a user or group name, got " + node.shown());
        }
        return Optional.of(name);
    }
}
