package io.rrtcp.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kv section: storages with their drivers, defaults, upstream's redis keys, errors naming the key. */
class KvConfigTest {
    private static final Path FILE = Path.of("conf/.rr.yaml");

    private static RrConfig parse(String kv) {
        String yaml = "version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    smtp:\n      addr: 127.0.0.1:25\n"
                + "kv:\n" + kv.indent(2);
        return ConfigLoader.parse(yaml, FILE);
    }

    private static String error(String kv) {
        return assertThrows(ConfigException.class, () -> parse(kv)).getMessage();
    }

    @Test
    void noKvSectionMeansNoStorages() {
        RrConfig config = ConfigLoader.parse("version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n"
                + "    smtp:\n      addr: 127.0.0.1:25\n", FILE);
        assertEquals(Map.of(), config.kv());
    }

    @Test
    void memoryAndRedisStoragesWithDefaultsAndUpstreamKeys() {
        RrConfig config = parse("""
                local:
                  driver: memory
                small:
                  driver: memory
                  config:
                    max_keys: 10
                    max_size: "1KB"
                shared:
                  driver: redis
                  config:
                    addrs: ["10.0.0.5:6380"]
                    password: secret
                    db: 2
                    read_timeout: 1s
                    pool_size: 4
                    tls: {}
                """);
        assertEquals(List.of("local", "small", "shared"), List.copyOf(config.kv().keySet()));
        assertEquals(new KvStorageConfig.Memory("local", 100_000, 64L << 20), config.kv().get("local"));
        assertEquals(new KvStorageConfig.Memory("small", 10, 1024), config.kv().get("small"));
        KvStorageConfig.Redis redis = (KvStorageConfig.Redis) config.kv().get("shared");
        assertEquals("10.0.0.5:6380", redis.address());
        assertEquals("secret", redis.password());
        assertEquals(2, redis.db());
        assertEquals(Duration.ofSeconds(5), redis.dialTimeout());
        assertEquals(Duration.ofSeconds(1), redis.writeTimeout(), "write_timeout defaults to read_timeout");
        assertEquals(Duration.ofSeconds(2), redis.poolTimeout(), "pool_timeout defaults to read_timeout + 1s");
        assertEquals(4, redis.poolSize());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("kv.shared.config.tls: not supported")),
                config.warnings().toString());
    }

    @Test
    void redisWithoutAddrsUsesTheLocalDefaultPort() {
        KvStorageConfig.Redis redis = (KvStorageConfig.Redis) parse("r:\n  driver: redis\n").kv().get("r");
        assertEquals("127.0.0.1:6379", redis.address());
    }

    @Test
    void errorsNameTheKey() {
        assertEquals("conf/.rr.yaml: kv.local.driver: could not find mandatory driver field in the local storage",
                error("local:\n  config: {}\n"));
        assertEquals("conf/.rr.yaml: kv.local.driver: driver \"boltdb\" is not supported by rr-tcp (memory, redis)",
                error("local:\n  driver: boltdb\n"));
        assertEquals("conf/.rr.yaml: kv.local.config.max_keys: must be an integer >= 1, got 0",
                error("local:\n  driver: memory\n  config:\n    max_keys: 0\n"));
        assertEquals("conf/.rr.yaml: kv.r.config.addrs: rr-tcp's redis driver takes one address (cluster and "
                + "sentinel are not supported), got 2", error("r:\n  driver: redis\n  config:\n    addrs: [\"a:1\", \"b:2\"]\n"));
        assertEquals("conf/.rr.yaml: kv.r.config.read_timeout: invalid duration \"soon\" (use e.g. 500ms, 60s, 1m, 1h30m)",
                error("r:\n  driver: redis\n  config:\n    read_timeout: soon\n"));
    }
}
