package io.rrtcp.ops;

/** A refused application-metrics operation; the message is upstream's text, sent back to the RPC caller as is. */
public final class MetricsException extends Exception {
    MetricsException(String message) {
        super(message);
    }
}
