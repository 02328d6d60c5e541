package io.rrtcp.kv;

/**
 * The bounds of one memory storage, so that no client can exhaust rr-tcp's heap through a worker.
 *
 * @param maxKeys {@code max_keys}: keys held at once
 * @param maxSize {@code max_size}: key and value bytes held at once (keys counted as UTF-8)
 */
public record MemoryLimits(long maxKeys, long maxSize) {
    public static final long DEFAULT_MAX_KEYS = 100_000;
    public static final long DEFAULT_MAX_SIZE = 64L << 20;

    public MemoryLimits {
        if (maxKeys < 1 || maxSize < 1) {
            throw new IllegalArgumentException("max_keys and max_size must be >= 1");
        }
    }
}
