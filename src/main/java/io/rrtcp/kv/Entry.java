package io.rrtcp.kv;

import java.time.Instant;
import java.util.Optional;

/**
 * One item of a {@code kv.Set} or {@code kv.MExpire} call, validated: a non-blank key, its value, and when it expires.
 *
 * @param key     the key
 * @param value   the bytes stored (empty for {@code kv.MExpire})
 * @param timeout the RFC 3339 text the client sent, returned as is by {@code kv.TTL} ("" = no TTL)
 * @param expiry  {@code timeout} parsed; empty when there is no TTL
 */
public record Entry(String key, byte[] value, String timeout, Optional<Instant> expiry) {
}
