package io.rrtcp.tcp;

import java.io.IOException;

/** A PROXY protocol header that is missing, malformed or not allowed; the message says which and why. */
final class ProxyHeaderException extends IOException {
    private final int bytesRead;
    private final boolean ended;

    /**
     * @param bytesRead bytes of the header read before the problem showed
     * @param ended     whether the client closed the connection (rather than sending something wrong)
     */
    ProxyHeaderException(String message, int bytesRead, boolean ended) {
        super(message);
        this.bytesRead = bytesRead;
        this.ended = ended;
    }

    /** True for a connection opened and closed without a byte: a port probe or a balancer's plain TCP check. */
    boolean silentProbe() {
        return ended && bytesRead == 0;
    }
}
