package io.rrtcp.kv;

import io.rrtcp.config.KvStorageConfig;
import io.rrtcp.log.Log;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Opens the storages of the {@code kv} section. */
public final class Storages {
    private static final Log LOG = Log.get("kv");

    private Storages() {
    }

    /** One storage per entry; redis drivers connect on their first call, so a Redis that is down delays nothing. */
    public static KvService open(Map<String, KvStorageConfig> configs, InstantSource clock) {
        Map<String, Storage> storages = new LinkedHashMap<>();
        configs.forEach((name, config) -> {
            storages.put(name, switch (config) {
                case KvStorageConfig.Memory m -> new MemoryStorage(name, new MemoryLimits(m.maxKeys(), m.maxSize()), clock);
                case KvStorageConfig.Redis r -> new RedisStorage(r, clock);
            });
            LOG.info("kv storage ready", "storage", name, "driver", describe(config));
        });
        return new KvService(storages);
    }

    private static String describe(KvStorageConfig config) {
        return switch (config) {
            case KvStorageConfig.Memory m -> "memory max_keys=" + m.maxKeys() + " max_size=" + m.maxSize();
            case KvStorageConfig.Redis r -> "redis addrs=" + r.address() + " db=" + r.db();
        };
    }
}
