package io.rrtcp.kv;

import io.rrtcp.config.KvStorageConfig;
import io.rrtcp.log.Log;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code redis} driver over Jedis: blocking calls on the caller's (virtual) thread from a bounded connection
 * pool. When Redis is down, a call fails as soon as the connection is refused (or after {@code dial_timeout} for a
 * host that does not answer) with a text naming the address; nothing is queued or retried later. The pool drops
 * broken connections, and a call that hit one left over from before a restart is tried once more on a fresh one, so
 * service resumes by itself on the first call after Redis returns.
 */
public final class RedisStorage implements Storage {
    private static final Log LOG = Log.get("kv");

    private final KvStorageConfig.Redis config;
    private final InstantSource clock;
    private final RedisClient client;
    private final AtomicBoolean down = new AtomicBoolean();

    public RedisStorage(KvStorageConfig.Redis config, InstantSource clock) {
        this.config = config;
        this.clock = clock;
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(config.dialTimeout()))
                .socketTimeoutMillis(millis(config.readTimeout().compareTo(config.writeTimeout()) > 0
                        ? config.readTimeout() : config.writeTimeout()))
                .database(config.db());
        if (!config.password().isEmpty()) {
            client.user(config.username().isEmpty() ? null : config.username()).password(config.password());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.poolSize());
        pool.setMaxIdle(config.poolSize());
        pool.setMinIdle(config.minIdleConns());
        pool.setMaxWait(config.poolTimeout());
        pool.setMinEvictableIdleDuration(config.idleTimeout());
        pool.setTimeBetweenEvictionRuns(Duration.ofMinutes(1));
        pool.setJmxEnabled(false);
        this.client = RedisClient.builder().hostAndPort(config.addr().host(), config.addr().port())
                .clientConfig(client.build()).poolConfig(pool).build();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public String op(String method) {
        return "redis_driver_" + method;
    }

    @Override
    public String emptyMExpireText() {
        return "should set timeout and at least one key";
    }

    @Override
    public Set<String> has(List<String> keys) throws KvException {
        return call("has", c -> {
            Set<String> found = new LinkedHashSet<>();
            for (String key : keys) {
                if (c.exists(bytes(key))) {
                    found.add(key);
                }
            }
            return found;
        });
    }

    @Override
    public Map<String, byte[]> mget(List<String> keys) throws KvException {
        return call("mget", c -> {
            List<byte[]> values = c.mget(keys.stream().map(RedisStorage::bytes).toArray(byte[][]::new));
            Map<String, byte[]> found = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                if (values.get(i) != null) {
                    found.put(keys.get(i), values.get(i));
                }
            }
            return found;
        });
    }

    @Override
    public void set(List<Entry> entries) throws KvException {
        call("set", c -> {
            Instant now = clock.instant();
            for (Entry e : entries) {
                long ms = e.expiry().map(t -> Duration.between(now, t).toMillis()).orElse(0L);
                // a TTL already over stores the value without one, as upstream (go-redis drops expirations <= 0)
                c.set(bytes(e.key()), e.value(), ms > 0 ? SetParams.setParams().px(ms) : SetParams.setParams());
            }
            return null;
        });
    }

    @Override
    public void mexpire(List<Entry> entries) throws KvException {
        call("mexpire", c -> {
            Instant now = clock.instant();
            for (Entry e : entries) {
                // PEXPIRE with a time in the past removes the key, as EXPIRE does for upstream
                c.pexpire(bytes(e.key()), Duration.between(now, e.expiry().orElseThrow()).toMillis());
            }
            return null;
        });
    }

    @Override
    public Map<String, String> ttl(List<String> keys) throws KvException {
        return call("ttl", c -> {
            Instant now = clock.instant();
            Map<String, String> found = new LinkedHashMap<>();
            for (String key : keys) {
                long ms = c.pttl(bytes(key));
                if (ms == -1) {
                    found.put(key, ""); // exists without a TTL: "" as the memory driver says
                } else if (ms >= 0) {
                    found.put(key, Rfc3339.format(now.plusMillis(ms)));
                }
            }
            return found;
        });
    }

    @Override
    public void delete(List<String> keys) throws KvException {
        call("delete", c -> c.del(keys.stream().map(RedisStorage::bytes).toArray(byte[][]::new)));
    }

    /** FLUSHDB, as upstream: everything in the configured {@code db}, also keys other programs wrote there. */
    @Override
    public void clear() throws KvException {
        call("clear", RedisClient::flushDB);
    }

    @Override
    public void close() {
        client.close();
    }

    private interface Work<T> {
        T run(RedisClient client);
    }

    private <T> T call(String method, Work<T> work) throws KvException {
        try {
            T result;
            try {
                result = work.run(client);
            } catch (JedisConnectionException e) {
                if (isConnectFailure(e)) {
                    throw e; // Redis is not there: fail now, do not wait a second dial_timeout
                }
                // a pooled connection from before a Redis restart fails once; the pool has dropped it: one retry
                result = work.run(client);
            }
            if (down.compareAndSet(true, false)) {
                LOG.info("redis is reachable again", "storage", config.name(), "addr", config.address());
            }
            return result;
        } catch (JedisConnectionException e) {
            if (down.compareAndSet(false, true)) {
                LOG.error("redis is unreachable; kv calls on this storage fail until it returns", "storage",
                        config.name(), "addr", config.address(), "error", reason(e));
            }
            throw KvException.driver(op(method), "redis at " + config.address() + " is unreachable: " + reason(e));
        } catch (JedisException e) {
            throw KvException.driver(op(method), "redis at " + config.address() + ": " + reason(e));
        }
    }

    private static boolean isConnectFailure(JedisConnectionException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Failed to connect");
    }

    /** The client's message plus what actually happened (e.g. "Connection refused"), kept by Jedis as cause or suppressed. */
    private static String reason(Throwable e) {
        StringBuilder message = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        List<Throwable> details = new java.util.ArrayList<>(List.of(e.getSuppressed()));
        if (root != e) {
            details.add(root);
        }
        for (Throwable d : details) {
            if (d.getMessage() != null && message.indexOf(d.getMessage()) < 0) {
                message.append(" (").append(d.getMessage()).append(')');
            }
        }
        return message.toString();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
