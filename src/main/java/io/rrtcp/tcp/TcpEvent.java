package io.rrtcp.tcp;

/** The events a worker receives for a connection, in the context's {@code event} field. */
public enum TcpEvent {
    CONNECTED, DATA, CLOSE
}
