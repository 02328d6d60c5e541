package io.rrtcp.rpc;

/** A failed RPC call; its message is the exact text sent back in the error frame. */
public final class RpcException extends Exception {
    public RpcException(String message) {
        super(message);
    }

    public RpcException(String message, Throwable cause) {
        super(message, cause);
    }
}
