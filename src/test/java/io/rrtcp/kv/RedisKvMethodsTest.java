package io.rrtcp.kv;

import io.rrtcp.config.KvStorageConfig;
import io.rrtcp.config.ListenAddress;
import io.rrtcp.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kv methods on the redis driver, against a real redis-server started for this class. */
class RedisKvMethodsTest extends KvMethodsContract {
    @TempDir
    static Path dir;
    static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(dir);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    static KvStorageConfig.Redis config(String name, int port) {
        Duration s3 = Duration.ofSeconds(3);
        return new KvStorageConfig.Redis(name, new ListenAddress("127.0.0.1", port), "", "", 0,
                Duration.ofSeconds(5), s3, s3, 8, 0, Duration.ofSeconds(4), Duration.ofMinutes(30));
    }

    @Override
    Storage openStorage(InstantSource clock) {
        return new RedisStorage(config("local", redis.port()), clock);
    }

    @Override
    String driverOp() {
        return "redis_driver";
    }

    @Test
    void whileRedisIsDownCallsFailAtOnceNamingItAndTheFirstCallAfterItReturnsWorks() throws Exception {
        try (RedisStorage st = new RedisStorage(config("down", redis.port()), InstantSource.system())) {
            st.set(List.of(new Entry("before", new byte[]{1}, "", java.util.Optional.empty())));
            assertEquals(Set.of("before"), st.has(List.of("before")));
            redis.stop();
            try {
                long start = System.nanoTime();
                KvException e = assertThrows(KvException.class, () -> st.has(List.of("before")));
                long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                assertTrue(e.getMessage().startsWith("redis_driver_has: redis at 127.0.0.1:" + redis.port()
                        + " is unreachable: "), e.getMessage());
                assertTrue(ms < 2000, "a refused connection fails at once, took " + ms + " ms");
            } finally {
                redis.startAgain();
            }
            // a fresh redis-server (no persistence): the old key is gone, the storage works without a restart of ours
            assertEquals(Set.of(), st.has(List.of("before")));
            st.set(List.of(new Entry("after", new byte[]{2}, "", java.util.Optional.empty())));
            assertEquals(Set.of("after"), st.has(List.of("after")));
        }
    }
}
