package io.rrtcp.rpc;

import java.util.concurrent.Semaphore;

/**
 * A bound on RPC calls in flight (read, not yet answered) and on the request bytes they hold. The RPC server takes
 * from one budget per connection and from one shared by all before it reads the next request, so a client that
 * pipelines requests without reading the replies stops being read once its share is taken, and the memory all
 * clients can pin is bounded. A request larger than a budget's bytes takes the whole of it.
 */
final class CallBudget {
    /** Calls one connection may have in flight. */
    static final int CALLS_PER_CONNECTION = 64;
    /** Request bytes one connection may have in flight (two requests of the largest size). */
    static final int BYTES_PER_CONNECTION = 2 * RpcServer.MAX_PAYLOAD;
    /** Calls all connections together may have in flight. */
    static final int CALLS_TOTAL = 1024;
    /** Request bytes all connections together may have in flight. */
    static final int BYTES_TOTAL = 8 * RpcServer.MAX_PAYLOAD;

    private final int maxBytes;
    private final Semaphore calls;
    private final Semaphore bytes;

    CallBudget(int maxCalls, int maxBytes) {
        this.maxBytes = maxBytes;
        this.calls = new Semaphore(maxCalls, true);
        this.bytes = new Semaphore(maxBytes, true);
    }

    static CallBudget perConnection() {
        return new CallBudget(CALLS_PER_CONNECTION, BYTES_PER_CONNECTION);
    }

    static CallBudget total() {
        return new CallBudget(CALLS_TOTAL, BYTES_TOTAL);
    }

    /** Waits for room for one call of {@code size} request bytes; the grant is given back with {@link Grant#release}. */
    Grant acquire(int size) throws InterruptedException {
        int taken = Math.min(size, maxBytes);
        calls.acquire();
        try {
            bytes.acquire(taken);
        } catch (InterruptedException e) {
            calls.release();
            throw e;
        }
        return new Grant(this, taken);
    }

    /** Calls in flight under this budget. */
    int inFlight(int maxCalls) {
        return maxCalls - calls.availablePermits();
    }

    /** Room taken for one call; released once, when its reply is written or dropped. */
    record Grant(CallBudget budget, int bytes) {
        void release() {
            budget.bytes.release(bytes);
            budget.calls.release();
        }
    }
}
