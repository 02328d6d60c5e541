package io.rrtcp.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code reload} section as it concerns the tcp pool: which files to watch and how often to look. Keys and
 * defaults are those of RoadRunner's reload plugin (v4.0.4); only {@code services.tcp} is used.
 *
 * @param interval  quiet time after the last change before the reset; also the polling period (default 1s, min 1s)
 * @param dirs      {@code services.tcp.dirs}: folders, relative to the working directory unless absolute
 * @param recursive {@code services.tcp.recursive}: watch sub-folders too (default false)
 * @param ignore    {@code services.tcp.ignore}: folders or files, relative to the working directory, left out
 * @param patterns  file name suffixes that count: {@code services.tcp.patterns} plus the global {@code patterns}
 */
public record ReloadConfig(Duration interval, List<String> dirs, boolean recursive, List<String> ignore,
                           List<String> patterns) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final List<String> DEFAULT_PATTERNS = List.of(".php");

    public ReloadConfig {
        dirs = List.copyOf(dirs);
        ignore = List.copyOf(ignore);
        patterns = List.copyOf(patterns);
    }
}
