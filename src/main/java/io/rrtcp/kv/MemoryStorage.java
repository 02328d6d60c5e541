package io.rrtcp.kv;

import io.rrtcp.log.Log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@code memory} driver: a map in rr-tcp's heap, bounded by {@code max_keys} and {@code max_size}.
 *
 * <p>Expiry costs nothing per call beyond the keys that actually expired: every TTL also goes into a queue ordered by
 * deadline, and each call first takes the due ones off its head (O(log n) each) instead of scanning the map. Reads
 * check the deadline too, so an expired key is never seen even between calls. A replaced or re-timed key leaves its
 * old queue entry behind; such stale entries are skipped when they come due, and the queue is rebuilt when they
 * outnumber the live ones.
 *
 * <p>One lock guards map and queue; no I/O happens under it, so virtual threads never wait on a blocked holder.
 */
public final class MemoryStorage implements Storage {
    private static final Log LOG = Log.get("kv");
    private static final Comparator<Deadline> BY_TIME = Comparator.comparing(Deadline::at);

    /** A stored value; replaced, never changed, so a queue entry can tell whether it still concerns the live value. */
    private record Slot(byte[] value, String timeout, Instant expiry, long size) {
        boolean expiredAt(Instant now) {
            return expiry != null && !expiry.isAfter(now);
        }
    }

    private record Deadline(Instant at, String key, Slot slot) {
    }

    private final String name;
    private final MemoryLimits limits;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Slot> slots = new HashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>(BY_TIME);
    private long size;

    public MemoryStorage(String name, MemoryLimits limits, InstantSource clock) {
        this.name = name;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String op(String method) {
        return "in_memory_plugin_" + method;
    }

    @Override
    public Set<String> has(List<String> keys) {
        return locked(now -> {
            Set<String> found = new LinkedHashSet<>();
            for (String key : keys) {
                if (live(key, now) != null) {
                    found.add(key);
                }
            }
            return found;
        });
    }

    @Override
    public Map<String, byte[]> mget(List<String> keys) {
        return locked(now -> {
            Map<String, byte[]> found = new LinkedHashMap<>();
            for (String key : keys) {
                Slot slot = live(key, now);
                if (slot != null) {
                    found.put(key, slot.value());
                }
            }
            return found;
        });
    }

    @Override
    public void set(List<Entry> entries) throws KvException {
        lock.lock();
        try {
            Instant now = purge();
            Map<String, Slot> batch = new LinkedHashMap<>();
            for (Entry e : entries) {
                batch.put(e.key(), slotOf(e, now));
            }
            checkRoom(batch);
            batch.forEach(this::put);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void mexpire(List<Entry> entries) {
        locked(now -> {
            for (Entry e : entries) {
                Slot slot = live(e.key(), now);
                if (slot == null) {
                    continue;
                }
                Instant expiry = e.expiry().orElseThrow();
                if (!expiry.isAfter(now)) {
                    // as Redis' EXPIRE with a time in the past: the key goes now
                    remove(e.key());
                } else {
                    put(e.key(), new Slot(slot.value(), e.timeout(), expiry, slot.size()));
                }
            }
            return null;
        });
    }

    @Override
    public Map<String, String> ttl(List<String> keys) {
        return locked(now -> {
            Map<String, String> found = new LinkedHashMap<>();
            for (String key : keys) {
                Slot slot = live(key, now);
                if (slot != null) {
                    found.put(key, slot.timeout());
                }
            }
            return found;
        });
    }

    @Override
    public void delete(List<String> keys) {
        locked(now -> {
            keys.forEach(this::remove);
            return null;
        });
    }

    @Override
    public void clear() {
        locked(now -> {
            slots.clear();
            deadlines.clear();
            size = 0;
            return null;
        });
    }

    /** Keys held now, expired ones already removed (for tests and logs). */
    public int keys() {
        return locked(now -> slots.size());
    }

    /** Key and value bytes held now, as counted against {@code max_size}. */
    public long bytes() {
        return locked(now -> size);
    }

    /** Deadlines queued, stale ones included (for tests: the queue stays within a bound). */
    int deadlinesQueued() {
        return locked(now -> deadlines.size());
    }

    @Override
    public void close() {
        clear();
    }

    private interface Work<T> {
        T run(Instant now);
    }

    private <T> T locked(Work<T> work) {
        lock.lock();
        try {
            return work.run(purge());
        } finally {
            lock.unlock();
        }
    }

    /** Removes every key whose deadline has passed, from the head of the queue only; returns the time it used. */
    private Instant purge() {
        Instant now = clock.instant();
        for (Deadline d = deadlines.peek(); d != null && !d.at().isAfter(now); d = deadlines.peek()) {
            deadlines.poll();
            if (slots.get(d.key()) == d.slot()) {
                remove(d.key());
                LOG.debug("ttl expired", "storage", name, "key", d.key());
            }
        }
        if (deadlines.size() > 2 * slots.size() + 1024) {
            rebuildQueue();
        }
        return now;
    }

    private void rebuildQueue() {
        deadlines.clear();
        slots.forEach((key, slot) -> {
            if (slot.expiry() != null) {
                deadlines.add(new Deadline(slot.expiry(), key, slot));
            }
        });
    }

    private Slot live(String key, Instant now) {
        Slot slot = slots.get(key);
        return slot == null || slot.expiredAt(now) ? null : slot;
    }

    private Slot slotOf(Entry e, Instant now) {
        long bytes = e.key().getBytes(StandardCharsets.UTF_8).length + (long) e.value().length;
        Instant expiry = e.expiry().orElse(null);
        if (expiry != null && !expiry.isAfter(now)) {
            // upstream's memory driver does the same: a TTL already over is dropped, the value kept
            LOG.warn("incorrect TTL time, saving without it", "storage", name, "key", e.key(), "ttl", e.timeout());
            return new Slot(e.value(), "", null, bytes);
        }
        return new Slot(e.value(), expiry == null ? "" : e.timeout(), expiry, bytes);
    }

    /** Refuses the whole batch when it would take the storage past {@code max_keys} or {@code max_size}. */
    private void checkRoom(Map<String, Slot> batch) throws KvException {
        long keys = slots.size();
        long bytes = size;
        for (Map.Entry<String, Slot> e : batch.entrySet()) {
            Slot old = slots.get(e.getKey());
            if (old == null) {
                keys++;
            } else {
                bytes -= old.size();
            }
            bytes += e.getValue().size();
        }
        if (keys > limits.maxKeys()) {
            throw KvException.driver(op("set"), "storage " + name + " is full: " + limits.maxKeys()
                    + " keys (kv." + name + ".config.max_keys); delete keys or raise the limit");
        }
        if (bytes > limits.maxSize()) {
            throw KvException.driver(op("set"), "storage " + name + " is full: " + bytes + " bytes would exceed "
                    + limits.maxSize() + " (kv." + name + ".config.max_size); delete keys or raise the limit");
        }
    }

    private void put(String key, Slot slot) {
        Slot old = slots.put(key, slot);
        size += slot.size() - (old == null ? 0 : old.size());
        if (slot.expiry() != null) {
            deadlines.add(new Deadline(slot.expiry(), key, slot));
        }
    }

    private void remove(String key) {
        Slot old = slots.remove(key);
        if (old != null) {
            size -= old.size();
        }
    }
}
