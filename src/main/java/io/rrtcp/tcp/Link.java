package io.rrtcp.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Optional;

/**
 * A connection's byte streams as its {@link Transport} set them up.
 *
 * @param socket the socket the streams belong to: the accepted one, or the {@code SSLSocket} layered over it
 * @param tls    the session's facts when the streams are encrypted
 */
record Link(Socket socket, InputStream in, OutputStream out, Optional<TlsFacts> tls) {
    static Link plain(Socket socket) throws IOException {
        return new Link(socket, socket.getInputStream(), socket.getOutputStream(), Optional.empty());
    }
}
