package io.rrtcp.kv;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory driver on a fake clock: TTLs from the deadline queue, and the max_keys / max_size bounds. */
class MemoryStorageTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;

    private MemoryStorage storage(long maxKeys, long maxSize) {
        return new MemoryStorage("local", new MemoryLimits(maxKeys, maxSize), clock);
    }

    private Entry entry(String key, String value, Duration ttl) {
        Optional<Instant> expiry = ttl == null ? Optional.empty() : Optional.of(now.plus(ttl));
        return new Entry(key, value.getBytes(StandardCharsets.UTF_8), expiry.map(Rfc3339::format).orElse(""), expiry);
    }

    @Test
    void anExpiredKeyIsInvisibleAtItsDeadlineAndFreedByTheNextCall() throws KvException {
        MemoryStorage st = storage(100, 1 << 20);
        st.set(List.of(entry("a", "1", Duration.ofSeconds(5)), entry("b", "22", null)));
        now = now.plusMillis(4999);
        assertEquals(Set.of("a", "b"), st.has(List.of("a", "b")));
        now = now.plusMillis(1);
        assertEquals(Set.of("b"), st.has(List.of("a", "b")));
        assertEquals(1, st.keys(), "the expired key was taken off the queue's head and freed");
        assertEquals(3, st.bytes(), "key b (1 byte) and its value (2 bytes) remain");
    }

    @Test
    void reSettingAKeyDropsItsOldDeadline() throws KvException {
        MemoryStorage st = storage(100, 1 << 20);
        st.set(List.of(entry("a", "old", Duration.ofSeconds(1))));
        st.set(List.of(entry("a", "new", Duration.ofSeconds(10))));
        now = now.plusSeconds(2);
        assertEquals("new", new String(st.mget(List.of("a")).get("a"), StandardCharsets.UTF_8),
                "the stale deadline of the first value does not remove the second");
        st.set(List.of(entry("a", "forever", null)));
        now = now.plusSeconds(60);
        assertEquals(Map.of("a", ""), st.ttl(List.of("a")));
    }

    @Test
    void manyReTimedKeysDoNotGrowTheQueueWithoutBound() throws KvException {
        MemoryStorage st = storage(100, 1 << 20);
        for (int i = 0; i < 20_000; i++) {
            st.set(List.of(entry("k" + (i % 10), "v", Duration.ofHours(1))));
            assertTrue(st.deadlinesQueued() <= 2 * 10 + 1024 + 1, st.deadlinesQueued() + " deadlines queued");
        }
        assertEquals(10, st.keys());
        now = now.plus(Duration.ofHours(2));
        assertEquals(Set.of(), st.has(List.of("k1")));
        assertEquals(0, st.keys());
    }

    @Test
    void mexpireMovesTheDeadlineAndATimeInThePastRemovesTheKey() throws KvException {
        MemoryStorage st = storage(100, 1 << 20);
        st.set(List.of(entry("a", "1", null), entry("b", "2", null)));
        st.mexpire(List.of(entry("a", "", Duration.ofSeconds(3)), entry("b", "", Duration.ofSeconds(-1)),
                entry("missing", "", Duration.ofSeconds(3))));
        assertEquals(Set.of("a"), st.has(List.of("a", "b", "missing")), "no key is created by MExpire");
        now = now.plusSeconds(3);
        assertEquals(Set.of(), st.has(List.of("a")));
    }

    @Test
    void maxKeysRefusesTheWholeBatchWithAClearErrorAndOverwritesStillWork() throws KvException {
        MemoryStorage st = storage(2, 1 << 20);
        st.set(List.of(entry("a", "1", null), entry("b", "2", null)));
        KvException full = assertThrows(KvException.class, () -> st.set(List.of(entry("a", "x", null), entry("c", "3", null))));
        assertEquals("in_memory_plugin_set: storage local is full: 2 keys (kv.local.config.max_keys); "
                + "delete keys or raise the limit", full.getMessage());
        assertEquals("1", new String(st.mget(List.of("a")).get("a"), StandardCharsets.UTF_8), "nothing of the batch was stored");
        st.set(List.of(entry("a", "overwritten", null)));
        st.delete(List.of("b"));
        st.set(List.of(entry("c", "3", null)));
        assertEquals(Set.of("a", "c"), st.has(List.of("a", "b", "c")));
    }

    @Test
    void maxSizeCountsKeyAndValueBytesAndExpiredKeysFreeTheirRoom() throws KvException {
        MemoryStorage st = storage(1000, 10);
        st.set(List.of(entry("k1", "12345", Duration.ofSeconds(1)))); // 7 bytes
        KvException full = assertThrows(KvException.class, () -> st.set(List.of(entry("k2", "12", null))));
        assertEquals("in_memory_plugin_set: storage local is full: 11 bytes would exceed 10 "
                + "(kv.local.config.max_size); delete keys or raise the limit", full.getMessage());
        now = now.plusSeconds(1);
        st.set(List.of(entry("k2", "12", null)));
        assertEquals(4, st.bytes());
    }

    @Test
    void aClientCannotGrowTheStoragePastItsBounds() {
        MemoryStorage st = storage(1000, 64 * 1024);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            try {
                st.set(List.of(entry("key-" + i, "x".repeat(100), null)));
            } catch (KvException e) {
                refused.add(e.getMessage());
            }
        }
        assertTrue(st.keys() <= 1000 && st.bytes() <= 64 * 1024, st.keys() + " keys, " + st.bytes() + " bytes");
        assertEquals(5000 - st.keys(), refused.size());
    }
}
