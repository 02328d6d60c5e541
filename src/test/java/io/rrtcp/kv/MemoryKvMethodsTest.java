package io.rrtcp.kv;

import java.time.InstantSource;

/** The kv methods on the embedded memory driver. */
class MemoryKvMethodsTest extends KvMethodsContract {
    @Override
    Storage openStorage(InstantSource clock) {
        return new MemoryStorage("local", new MemoryLimits(1000, 1 << 20), clock);
    }

    @Override
    String driverOp() {
        return "in_memory_plugin";
    }
}
