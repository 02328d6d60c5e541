package io.rrtcp.worker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every worker of a pool and where it is in its life, under one lock: idle, busy, retiring, gone; plus how many are
 * starting and how many the pool should have (its target). The state codes the informer reports are derived from
 * this (see {@link #infos()}); nothing is decided from them.
 */
final class Roster {
    enum Phase { IDLE, BUSY, RETIRING, GONE }

    /** Why and as what a busy worker is to be replaced once its current request ends (set by the supervisor). */
    record Recycle(WorkerState state, String reason) {
    }

    /** One worker's books. Fields are guarded by the roster's lock. */
    static final class Entry {
        final Worker worker;
        private Phase phase = Phase.IDLE;
        /** Counts toward the target; false once a reset or a retirement takes it out. */
        private boolean counted = true;
        private Recycle recycle;
        /** The state it left in, once retiring (max jobs reached, destroyed ...). */
        private WorkerState leftAs;

        Entry(Worker worker) {
            this.worker = worker;
        }

        @Override
        public String toString() {
            return "worker " + worker.pid();
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Worker, Entry> entries = new IdentityHashMap<>();
    private int target;
    private int starting;

    Roster(int target) {
        this.target = target;
    }

    Entry admit(Worker worker) {
        lock.lock();
        try {
            Entry e = new Entry(worker);
            entries.put(worker, e);
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** Idle to busy; false when it is no longer idle (a tombstone). */
    boolean lend(Entry e) {
        lock.lock();
        try {
            if (e.phase != Phase.IDLE) {
                return false;
            }
            e.phase = Phase.BUSY;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Busy to idle; false when it was retired meanwhile. */
    boolean backToIdle(Entry e) {
        lock.lock();
        try {
            if (e.phase != Phase.BUSY) {
                return false;
            }
            e.phase = Phase.IDLE;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Out of service: true only for the first caller. {@code leftAs} is the state it is reported in (null: its own).
     * Returns whether it counted toward the target, in {@code wasCounted[0]}.
     */
    boolean retire(Entry e, WorkerState leftAs, boolean[] wasCounted) {
        lock.lock();
        try {
            if (e.phase == Phase.RETIRING || e.phase == Phase.GONE) {
                return false;
            }
            wasCounted[0] = e.counted;
            e.phase = Phase.RETIRING;
            e.counted = false;
            e.leftAs = leftAs;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Its process has exited: off the list. */
    void gone(Entry e) {
        lock.lock();
        try {
            e.phase = Phase.GONE;
            entries.remove(e.worker);
        } finally {
            lock.unlock();
        }
    }

    Phase phase(Entry e) {
        return locked(() -> e.phase);
    }

    boolean isCounted(Entry e) {
        return locked(() -> e.counted);
    }

    Recycle recycleMark(Entry e) {
        return locked(() -> e.recycle);
    }

    /** A supervisor verdict: true when the worker is idle (the caller retires it now), else marked for later. */
    boolean markForRecycle(Entry e, Recycle mark) {
        lock.lock();
        try {
            if (e.phase == Phase.IDLE) {
                return true;
            }
            e.recycle = mark;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The workers that count toward the target. */
    List<Entry> counted() {
        return locked(() -> entries.values().stream().filter(e -> e.counted).toList());
    }

    /** Every worker not yet gone. */
    List<Entry> all() {
        return locked(() -> new ArrayList<>(entries.values()));
    }

    /** Takes every counted worker out of the count (a reset); returns them. */
    List<Entry> uncountAll() {
        lock.lock();
        try {
            List<Entry> old = entries.values().stream().filter(e -> e.counted).toList();
            old.forEach(e -> e.counted = false);
            return old;
        } finally {
            lock.unlock();
        }
    }

    int target() {
        return locked(() -> target);
    }

    /** Changes the target by {@code delta}; returns the new one. */
    int changeTarget(int delta) {
        lock.lock();
        try {
            target += delta;
            return target;
        } finally {
            lock.unlock();
        }
    }

    /** How many more workers are needed now; they are counted as starting until {@link #started} or {@link #startEnded}. */
    int claimShortfall(boolean closed) {
        lock.lock();
        try {
            int missing = closed ? 0 : Math.max(0, target - countedSize() - starting);
            starting += missing;
            return missing;
        } finally {
            lock.unlock();
        }
    }

    /** Counts {@code n} workers as starting (a reset starts the fresh ones itself). */
    void claimStarts(int n) {
        lock.lock();
        try {
            starting += n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A start ended without a worker to admit ({@code worker} null) or with one: admitted unless the pool is already
     * full, in which case null is returned and the caller stops the surplus worker.
     */
    Entry started(Worker worker) {
        lock.lock();
        try {
            starting--;
            if (worker == null || countedSize() >= target) {
                return null;
            }
            return admit(worker);
        } finally {
            lock.unlock();
        }
    }

    /** {@code n} starts ended (their workers were admitted directly or failed). */
    void startEnded(int n) {
        lock.lock();
        try {
            starting -= n;
        } finally {
            lock.unlock();
        }
    }

    private int countedSize() {
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.counted) {
                n++;
            }
        }
        return n;
    }

    /** Runs {@code read} under the roster's lock. */
    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        return locked(() -> countedSize());
    }

    /** What the informer lists: every worker in service (idle or busy), by pid, its state derived from where it is. */
    List<WorkerInfo> infos() {
        List<Entry> all;
        lock.lock();
        try {
            all = entries.values().stream().filter(e -> e.phase == Phase.IDLE || e.phase == Phase.BUSY).toList();
        } finally {
            lock.unlock();
        }
        List<WorkerInfo> infos = new ArrayList<>();
        for (Entry e : all) {
            WorkerState state = reported(e);
            ProcStats stats = e.worker.stats();
            infos.add(new WorkerInfo(e.worker.pid(), state, e.worker.numExecs(), e.worker.created(), stats.rssBytes(),
                    stats.cpuPercent()));
        }
        infos.sort(Comparator.comparingLong(WorkerInfo::pid));
        return infos;
    }

    /** Upstream's state for a worker: how it left, else busy as working, idle as ready, else its own. */
    WorkerState reported(Entry e) {
        lock.lock();
        try {
            if (e.leftAs != null) {
                return e.leftAs;
            }
            if (e.phase == Phase.BUSY && e.worker.state() == WorkerState.READY) {
                return WorkerState.WORKING;
            }
            return e.worker.state();
        } finally {
            lock.unlock();
        }
    }
}
