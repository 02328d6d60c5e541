package io.rrtcp.config;

import java.nio.file.Path;

/** A configuration value that cannot be used; the message names the file and the key. */
public final class ConfigException extends RuntimeException {
    private final transient Path file;
    private final String key;

    public ConfigException(Path file, String key, String problem) {
        super(file + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.key = key;
    }

    public Path file() {
        return file;
    }

    /** Dotted key path, e.g. {@code tcp.servers.smtp.addr}; empty for whole-file problems. */
    public String key() {
        return key == null ? "" : key;
    }
}
