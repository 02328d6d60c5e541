package io.rrtcp.kv;

/**
 * A failed kv call; its message is the exact text the RPC error frame carries. Texts follow upstream's layout: the
 * RPC operation, a new line and a tab, then the driver's operation and the reason, e.g.
 * {@code "rpc_has:\n\tin_memory_plugin_has: should provide at least 1 key"}.
 */
public final class KvException extends Exception {
    /** Upstream's text for a call without keys (errors.NoKeys). */
    static final String NO_KEYS = "should provide at least 1 key";
    /** Upstream's text for a blank key (errors.EmptyKey). */
    static final String EMPTY_KEY = "key can't be empty string";

    public KvException(String message) {
        super(message);
    }

    public KvException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A driver's failure: {@code "<driverOp>: <reason>"}. */
    static KvException driver(String driverOp, String reason) {
        return new KvException(driverOp + ": " + reason);
    }

    /** {@code e} as seen from an RPC operation: {@code "<rpcOp>:\n\t<driver text>"}. */
    static KvException rpc(String rpcOp, KvException e) {
        return new KvException(rpcOp + ":\n\t" + e.getMessage(), e.getCause());
    }
}
