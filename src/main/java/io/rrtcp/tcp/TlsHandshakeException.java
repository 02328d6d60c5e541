package io.rrtcp.tcp;

import java.io.IOException;

/** A TLS handshake with a client failed (or did not end within {@code tls.handshake_timeout}). */
final class TlsHandshakeException extends IOException {
    TlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
