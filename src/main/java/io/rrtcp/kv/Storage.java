package io.rrtcp.kv;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One named storage of the {@code kv} section, backed by a driver. Callers ({@link KvService}) have already checked
 * that key lists are not empty and keys are not blank; a driver reports only its own failures, as
 * {@link KvException#driver} texts that start with {@link #op}.
 */
public interface Storage extends AutoCloseable {
    /** The storage's name in the config. */
    String name();

    /** The driver's prefix of operation names in error texts, e.g. {@code in_memory_plugin_has}. */
    String op(String method);

    /** The reason given when a {@code kv.MExpire} item lacks its key or timeout (upstream's drivers differ). */
    default String emptyMExpireText() {
        return "timeout for MExpire is empty or key is empty";
    }

    /** The keys among {@code keys} that exist. */
    Set<String> has(List<String> keys) throws KvException;

    /** The values of the existing keys among {@code keys}. */
    Map<String, byte[]> mget(List<String> keys) throws KvException;

    /** Stores every entry, replacing existing values and TTLs. */
    void set(List<Entry> entries) throws KvException;

    /** Gives existing keys a new expiry time; {@link Entry#value()} is not used. */
    void mexpire(List<Entry> entries) throws KvException;

    /** For each existing key: its expiry time in RFC 3339, or "" when it has none. */
    Map<String, String> ttl(List<String> keys) throws KvException;

    void delete(List<String> keys) throws KvException;

    void clear() throws KvException;

    @Override
    void close();
}
