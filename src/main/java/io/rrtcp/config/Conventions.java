package io.rrtcp.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * RoadRunner's config conventions applied to the raw YAML tree before validation: {@code envfile}, then {@code -o}
 * overrides, then {@code ${VAR}} substitution in every string value; and the {@code logs} section.
 */
final class Conventions {
    private static final Set<String> LOGS_KEYS = Set.of("mode", "level", "encoding", "output", "err_output",
            "line_ending", "skip_line_ending", "format", "time_format", "channels", "file_logger_options");
    private static final Set<String> MODES = Set.of("development", "production", "raw", "off", "none");
    private static final Set<String> LEVELS = Set.of("debug", "info", "warn", "warning", "error");

    private Conventions() {
    }

    static Object apply(Object tree, Path file, ConfigOptions options, List<String> warnings) {
        return apply(tree, file, environment(tree, file, options), options, warnings);
    }

    /** The variables rr-tcp works with: {@code options.env()} plus the {@code envfile}'s (set variables win). */
    static Map<String, String> environment(Object tree, Path file, ConfigOptions options) {
        Map<String, String> env = new HashMap<>(options.env());
        if (tree instanceof Map<?, ?> map && map.get("envfile") instanceof String envfile && !envfile.isEmpty()) {
            Path dir = file.toAbsolutePath().getParent();
            Path dotenv = dir == null ? Path.of(envfile) : dir.resolve(envfile);
            if (!java.nio.file.Files.isRegularFile(dotenv)) {
                throw new ConfigException(file, "envfile", "cannot read dotenv file " + dotenv + ": no such file");
            }
            Dotenv.read(dotenv).forEach(env::putIfAbsent);
        }
        return env;
    }

    /** Overrides, then {@code ${VAR}} substitution from {@code env}. */
    static Object apply(Object tree, Path file, Map<String, String> env, ConfigOptions options, List<String> warnings) {
        for (String override : options.overrides()) {
            tree = Overrides.apply(tree, override, file);
        }
        return new EnvExpander(env).expandTree(tree, "", problem -> warnings.add(file + ": " + problem));
    }

    static LogsConfig logs(Node logs) {
        if (!logs.isWritten() || logs.isAbsent()) {
            return LogsConfig.DEFAULT;
        }
        logs.warnUnknownKeys(LOGS_KEYS);
        String mode = word(logs.get("mode"), "development");
        if (!MODES.contains(mode)) {
            logs.get("mode").warn("unknown mode \"" + mode + "\" (development, production, raw, off); using development");
            mode = "development";
        }
        String level = word(logs.get("level"), "debug");
        if (!LEVELS.contains(level)) {
            logs.get("level").warn("unknown level \"" + level + "\" (debug, info, warn, error); using debug");
            level = "debug";
        }
        String encoding = word(logs.get("encoding"), "");
        if (!encoding.isEmpty() && !encoding.equals("console") && !encoding.equals("json")) {
            throw logs.get("encoding").error("must be console or json, got \"" + encoding + "\"");
        }
        Node outputNode = logs.get("output");
        List<String> output = outputNode.isAbsent() ? List.of("stderr")
                : outputNode.isList() ? outputNode.items().stream().map(Node::scalarText).toList()
                : List.of(outputNode.scalarText());
        if (output.isEmpty()) {
            output = List.of("stderr");
        }
        return new LogsConfig(mode.equals("none") ? "off" : mode, level.equals("warning") ? "warn" : level, encoding, output);
    }

    private static String word(Node node, String absent) {
        return node.isAbsent() ? absent : node.scalarText().strip().toLowerCase(Locale.ROOT);
    }
}
