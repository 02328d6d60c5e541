package io.rrtcp.tcp;

import java.io.IOException;

/** A TLS handshake with a client failed (or did not end within {@code tls.handshake_timeout}). */
final class TlsHandshakeException extends IOException {
    TlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The client closed the connection during the handshake (a health check, a port scan), rather than failing it. */
    boolean clientLeft() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }
}
