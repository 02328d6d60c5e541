package io.rrtcp.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code logs} section, with upstream's defaults and its leniency (unknown mode ⇒ development, unknown level ⇒
 * debug, both with a warning).
 *
 * @param mode     {@code development} (text lines), {@code production} (JSON lines), {@code raw} (message only),
 *                 {@code off}
 * @param level    {@code debug}, {@code info}, {@code warn}, {@code error}
 * @param encoding {@code console} or {@code json}; when written it decides the line format, else the mode does
 * @param output   {@code stderr}, {@code stdout} or file paths (appended to)
 * @param channels {@code logs.channels}: per component (server, pool, php, tcp, rpc ...) its own settings; keys a
 *                 channel leaves out are taken from this section
 */
public record LogsConfig(String mode, String level, String encoding, List<String> output,
                         Map<String, LogsConfig> channels) {
    public LogsConfig {
        output = List.copyOf(output);
        channels = Map.copyOf(channels);
    }

    /** Without channels. */
    public LogsConfig(String mode, String level, String encoding, List<String> output) {
        this(mode, level, encoding, output, Map.of());
    }

    /** What rr-tcp does without a {@code logs} section: text lines on stderr, level info. */
    public static final LogsConfig DEFAULT = new LogsConfig("development", "info", "", List.of("stderr"));

    /** True when lines are JSON: {@code encoding: json}, or {@code mode: production} without an encoding. */
    public boolean json() {
        return encoding.equals("json") || encoding.isEmpty() && mode.equals("production");
    }
}
