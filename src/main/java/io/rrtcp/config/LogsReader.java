package io.rrtcp.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code logs} section, with upstream's leniency (unknown mode: development, unknown level: debug, both with a
 * warning), and its {@code channels}: per component the same keys, the missing ones taken from the section.
 */
final class LogsReader {
    private static final Set<String> LOGS_KEYS = Set.of("mode", "level", "encoding", "output", "err_output",
            "line_ending", "skip_line_ending", "format", "time_format", "channels", "file_logger_options");
    private static final Set<String> CHANNEL_KEYS = Set.of("mode", "level", "encoding", "output", "err_output",
            "line_ending", "skip_line_ending", "format", "time_format", "file_logger_options");
    private static final Set<String> MODES = Set.of("development", "production", "raw", "off", "none");
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "warning", "error");

    private LogsReader() {
    }

    static LogsConfig read(Node logs) {
        if (!logs.isWritten() || logs.isAbsent()) {
            return LogsConfig.DEFAULT;
        }
        logs.warnUnknownKeys(LOGS_KEYS);
        LogsConfig base = settings(logs, new LogsConfig("development", "debug", "", List.of("stderr")));
        Node channelsNode = logs.get("channels");
        if (channelsNode.isAbsent()) {
            return base;
        }
        Map<String, LogsConfig> channels = new LinkedHashMap<>();
        channelsNode.entries().forEach((name, channel) -> {
            channel.warnUnknownKeys(CHANNEL_KEYS);
            channels.put(name.toLowerCase(Locale.ROOT), settings(channel, base));
        });
        return new LogsConfig(base.mode(), base.level(), base.encoding(), base.output(), channels);
    }

    /** mode, level, encoding and output of {@code node}, each from {@code parent} when the node leaves it out. */
    private static LogsConfig settings(Node node, LogsConfig parent) {
        String mode = word(node.get("mode"), parent.mode());
        if (!MODES.contains(mode)) {
            node.get("mode").warn("unknown mode \"" + mode + "\" (development, production, raw, off); using development");
            mode = "development";
        }
        String level = word(node.get("level"), parent.level());
        if (!LEVELS.contains(level)) {
            node.get("level").warn("unknown level \"" + level + "\" (debug, info, warn, error); using debug");
            level = "debug";
        }
        String encoding = word(node.get("encoding"), parent.encoding());
        if (!encoding.isEmpty() && !encoding.equals("console") && !encoding.equals("json")) {
            throw node.get("encoding").error("must be console or json, got \"" + encoding + "\"");
        }
        Node outputNode = node.get("output");
        List<String> output = outputNode.isAbsent() ? parent.output()
                : outputNode.isList() ? outputNode.items().stream().map(Node::scalarText).toList()
                : List.of(outputNode.scalarText());
        if (output.isEmpty()) {
            output = List.of("stderr");
        }
        return new LogsConfig(mode.equals("none") ? "off" : mode, level.equals("warning") ? "warn" : level, encoding,
                output);
    }

    private static String word(Node node, String absent) {
        return node.isAbsent() ? absent : node.scalarText().strip().toLowerCase(Locale.ROOT);
    }
}
