package io.rrtcp.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code kv} section: named storages, each {@code {driver: memory | redis, config: {...}}}, as upstream's
 * KV plugin does. Drivers rr-tcp does not have (boltdb, memcached) are config errors, not silently skipped storages.
 */
final class KvConfigReader {
    private static final Set<String> STORAGE_KEYS = Set.of("driver", "config");
    private static final Set<String> MEMORY_KEYS = Set.of("max_keys", "max_size", "interval");
    /** Upstream keys for sentinel, cluster and TLS setups, which rr-tcp does not support. */
    private static final Set<String> REDIS_UNSUPPORTED = Set.of("master_name", "sentinel_password", "route_by_latency",
            "route_randomly", "max_retries", "min_retry_backoff", "max_retry_backoff", "idle_check_freq", "read_only", "tls", "max_conn_age");
    static final long DEFAULT_MAX_KEYS = 100_000;
    static final long DEFAULT_MAX_SIZE = 64L << 20;
    private static final Duration DEFAULT_DIAL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    private KvConfigReader() {
    }

    /** Storage name to its config; empty when the file has no {@code kv} section. */
    static Map<String, KvStorageConfig> read(Node kv) {
        Map<String, KvStorageConfig> storages = new LinkedHashMap<>();
        if (kv.isAbsent()) {
            return storages;
        }
        if (!kv.isMap()) {
            throw kv.error("must be a map of storages, e.g. kv: {local: {driver: memory}}, got " + kv.shown());
        }
        kv.entries().forEach((name, storage) -> storages.put(name, storage(name, storage)));
        return storages;
    }

    private static KvStorageConfig storage(String name, Node storage) {
        if (!storage.isMap()) {
            throw storage.error("must be a map with a driver, e.g. {driver: memory}, got " + storage.shown());
        }
        storage.warnUnknownKeys(STORAGE_KEYS);
        Node driver = storage.get("driver");
        if (driver.isAbsent()) {
            throw driver.error("could not find mandatory driver field in the " + name + " storage");
        }
        Node config = storage.get("config");
        if (!config.isAbsent() && !config.isMap()) {
            throw config.error("must be a map of driver settings, got " + config.shown());
        }
        return switch (driver.isScalar() ? driver.scalarText() : "") {
            case "memory" -> memory(name, config);
            case "redis" -> redis(name, config);
            default -> throw driver.error("driver " + driver.shown() + " is not supported by rr-tcp (memory, redis)");
        };
    }

    private static KvStorageConfig.Memory memory(String name, Node config) {
        config.warnUnknownKeys(MEMORY_KEYS);
        Long maxKeys = config.get("max_keys").isAbsent() ? Long.valueOf(DEFAULT_MAX_KEYS) : config.get("max_keys").weakInteger();
        if (maxKeys == null || maxKeys < 1) {
            throw config.get("max_keys").error("must be an integer >= 1, got " + config.get("max_keys").shown());
        }
        return new KvStorageConfig.Memory(name, maxKeys, size(config.get("max_size")));
    }

    /** Integer megabytes, or a string with a unit ("512KB", "64MB"). */
    private static long size(Node node) {
        if (node.isAbsent()) {
            return DEFAULT_MAX_SIZE;
        }
        long bytes = ConnectionLimitsReader.sizeBytes(node, "64");
        if (bytes < 1) {
            throw node.error("must be at least 1B, got " + node.shown());
        }
        return bytes;
    }

    private static KvStorageConfig.Redis redis(String name, Node config) {
        config.entries().forEach((key, value) -> {
            if (REDIS_UNSUPPORTED.contains(key)) {
                value.warn("not supported by rr-tcp's redis driver (ignored)");
            } else if (!KvStorageConfig.REDIS_KEYS.contains(key)) {
                value.warn("unknown key (ignored; check the spelling)");
            }
        });
        Duration read = orDefault(config.get("read_timeout"), DEFAULT_READ_TIMEOUT);
        return new KvStorageConfig.Redis(name, addr(config.get("addrs")), text(config.get("username")),
                text(config.get("password")), (int) number(config.get("db"), 0, 0),
                orDefault(config.get("dial_timeout"), DEFAULT_DIAL_TIMEOUT), read,
                orDefault(config.get("write_timeout"), read),
                (int) number(config.get("pool_size"), 10L * Runtime.getRuntime().availableProcessors(), 1),
                (int) number(config.get("min_idle_conns"), 0, 0),
                orDefault(config.get("pool_timeout"), read.plusSeconds(1)),
                orDefault(config.get("idle_timeout"), DEFAULT_IDLE_TIMEOUT));
    }

    /** {@code addrs}: a list with one {@code host:port} (or that string alone); default 127.0.0.1:6379 as upstream. */
    private static ListenAddress addr(Node node) {
        if (node.isAbsent()) {
            return new ListenAddress("127.0.0.1", 6379);
        }
        List<Node> items = node.isList() ? node.items() : List.of(node);
        if (items.size() != 1) {
            throw node.error("rr-tcp's redis driver takes one address (cluster and sentinel are not supported), got "
                    + items.size());
        }
        Node item = items.getFirst();
        try {
            ListenAddress a = ListenAddress.parse(item.scalarText());
            return a.host().isEmpty() ? new ListenAddress("127.0.0.1", a.port()) : a;
        } catch (IllegalArgumentException e) {
            throw item.error(e.getMessage());
        }
    }

    private static String text(Node node) {
        return node.isAbsent() ? "" : node.scalarText();
    }

    private static long number(Node node, long absent, long min) {
        if (node.isAbsent()) {
            return absent;
        }
        Long n = node.weakInteger();
        if (n == null || n < min || n > Integer.MAX_VALUE) {
            throw node.error("must be an integer >= " + min + ", got " + node.shown());
        }
        return n;
    }

    private static Duration orDefault(Node node, Duration fallback) {
        Duration d = ConfigLoader.duration(node);
        return d.isZero() ? fallback : d;
    }
}
