package io.rrtcp.tls;

/** A TLS file that cannot be used; {@link #key()} names the {@code tls} key it came from (cert, key, client_ca). */
public final class TlsFileException extends Exception {
    private final String key;

    TlsFileException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
