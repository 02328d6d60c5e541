package io.rrtcp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code reload} section (RoadRunner's reload plugin config). rr-tcp reloads one pool, so of
 * {@code services} only {@code tcp} is used; other names (upstream configs often have {@code http}) are warnings.
 */
final class ReloadReader {
    private static final Set<String> KEYS = Set.of("interval", "patterns", "services");
    private static final Set<String> SERVICE_KEYS = Set.of("dirs", "recursive", "ignore", "patterns");

    private ReloadReader() {
    }

    /** Empty when the section is absent, or when it has no {@code services.tcp} (warned). */
    static Optional<ReloadConfig> read(Node reload) {
        if (!reload.isWritten()) {
            return Optional.empty();
        }
        if (!reload.isAbsent() && !reload.isMap()) {
            throw reload.error("must be a map with interval, patterns and services, got " + reload.shown());
        }
        reload.warnUnknownKeys(KEYS);
        Duration interval = interval(reload.get("interval"));
        Node globalPatterns = reload.get("patterns");
        List<String> patterns = globalPatterns.isAbsent() ? ReloadConfig.DEFAULT_PATTERNS : strings(globalPatterns);
        Node services = reload.get("services");
        if (!services.isAbsent() && !services.isMap()) {
            throw services.error("must be a map of service name to its dirs, got " + services.shown());
        }
        services.entries().forEach((name, service) -> {
            if (!name.equals("tcp")) {
                service.warn("rr-tcp reloads only the tcp pool; this service is ignored");
            }
        });
        Node tcp = services.get("tcp");
        if (!tcp.isWritten()) {
            reload.warn("no services.tcp entry: nothing is watched, workers are never reloaded");
            return Optional.empty();
        }
        return Optional.of(service(tcp, interval, patterns));
    }

    private static ReloadConfig service(Node tcp, Duration interval, List<String> globalPatterns) {
        if (!tcp.isAbsent() && !tcp.isMap()) {
            throw tcp.error("must be a map with dirs, recursive, ignore and patterns, got " + tcp.shown());
        }
        tcp.warnUnknownKeys(SERVICE_KEYS);
        List<String> dirs = strings(tcp.get("dirs"));
        if (dirs.isEmpty()) {
            tcp.warn("no dirs: nothing is watched (as upstream); add e.g. dirs: [\".\"]");
        }
        Node recursive = tcp.get("recursive");
        Boolean deep = recursive.isAbsent() ? Boolean.FALSE : recursive.weakBoolean();
        if (deep == null) {
            throw recursive.error("must be true or false, got " + recursive.shown());
        }
        // upstream appends the global patterns to the service's own: both count
        Set<String> patterns = new LinkedHashSet<>(strings(tcp.get("patterns")));
        patterns.addAll(globalPatterns);
        return new ReloadConfig(interval, dirs, deep, strings(tcp.get("ignore")), List.copyOf(patterns));
    }

    /** Absent or zero: 1s. Shorter than 1s is refused, as upstream refuses to serve with it. */
    private static Duration interval(Node node) {
        Duration interval = ConfigLoader.duration(node);
        if (interval.isZero()) {
            return ReloadConfig.DEFAULT_INTERVAL;
        }
        if (interval.compareTo(ReloadConfig.DEFAULT_INTERVAL) < 0) {
            throw node.error("must be at least 1s (RoadRunner's reload plugin refuses shorter intervals too), got "
                    + node.shown());
        }
        return interval;
    }

    /** A list of strings; a single string counts as a one-item list; absent is empty. */
    private static List<String> strings(Node node) {
        if (node.isAbsent()) {
            return List.of();
        }
        if (node.isScalar()) {
            return List.of(node.scalarText());
        }
        List<String> out = new ArrayList<>();
        for (Node item : node.items()) {
            if (!item.isScalar()) {
                throw item.error("must be a string, got " + item.shown());
            }
            out.add(item.scalarText());
        }
        return out;
    }
}
