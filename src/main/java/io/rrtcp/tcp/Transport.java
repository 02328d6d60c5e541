package io.rrtcp.tcp;

import java.io.IOException;
import java.net.Socket;

/**
 * How a server's connections carry their bytes, chosen per server at wiring time: plain TCP, TLS from the first byte,
 * or plain text until the worker asks for STARTTLS. {@link ConnectionHandler} tells the same story with each.
 */
interface Transport {
    Transport PLAIN = new Transport() {
        @Override
        public Link open(Socket accepted) throws IOException {
            return Link.plain(accepted);
        }

        @Override
        public boolean offersStartTls() {
            return false;
        }

        @Override
        public Link startTls(Socket accepted) {
            throw new IllegalStateException("plain TCP server: no STARTTLS");
        }
    };

    /** Sets up an accepted socket before CONNECTED; for implicit TLS, the handshake. */
    Link open(Socket accepted) throws IOException;

    /** Whether {@code tcp.StartTLS} may switch this server's connections to TLS. */
    boolean offersStartTls();

    /**
     * Switches a plain connection to TLS in place: the handshake runs on the accepted socket. Nothing read from it
     * before is handed to TLS: bytes the caller buffered are the caller's to drop.
     */
    Link startTls(Socket accepted) throws IOException;
}
