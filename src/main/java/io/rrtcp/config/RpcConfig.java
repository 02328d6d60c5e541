package io.rrtcp.config;

/**
 * The {@code rpc} section.
 *
 * @param listen the RPC address exactly as configured, e.g. {@code tcp://127.0.0.1:6001}
 */
public record RpcConfig(String listen) {
}
