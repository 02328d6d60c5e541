package io.rrtcp.rpc;

/**
 * One callable method: the Go type of its argument and what it does.
 *
 * @param arg     how the body is decoded
 * @param handler the work; its result is encoded in the caller's codec
 */
record RpcMethod(Args.Type arg, Handler handler) {
    @FunctionalInterface
    interface Handler {
        Object call(Object arg) throws RpcException;
    }
}
