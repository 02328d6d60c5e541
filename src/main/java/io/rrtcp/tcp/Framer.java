package io.rrtcp.tcp;

import io.rrtcp.config.Framing;
import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.goridge.Body;

import java.io.IOException;
import java.io.InputStream;

/**
 * Cuts one connection's byte stream into messages, each of which becomes one DATA event. One per connection, owned by
 * its thread; the server's {@code framing} chooses the kind. Every framer holds no buffer before the first read and
 * at most a small one between messages (delimiter and length framing: none while a quiet connection waits, see
 * {@link IdleWait}), and hands long messages out in the chunks they arrived in.
 */
public interface Framer {
    /**
     * The next message, or {@code null} at the end of the stream.
     *
     * @throws LimitExceededException when the message breaks a limit ({@code max_message_size}, timeouts via the guard)
     * @throws FrameFormatException   when the stream cannot be framed (a malformed length field)
     */
    Body nextBody() throws IOException;

    /** Bytes read from the stream so far. */
    long bytesRead();

    /** Bytes read from the stream but not handed out in a message yet (e.g. to drop them at STARTTLS). */
    int buffered();

    /** Capacity of the buffer held now (for tests and memory accounting). */
    int bufferCapacity();

    /** The framer {@code server} is configured for, reading {@code in}, with {@code guard} consulted before each read. */
    static Framer of(TcpServerConfig server, InputStream in, ReadGuard guard) {
        int readSize = server.readBufSize();
        int maxMessageSize = server.limits().maxMessageSize();
        return switch (server.framing()) {
            case Framing.Delimiter d -> new DelimiterScanner(in, server.delimiter(), readSize, maxMessageSize, guard);
            case Framing.Length field -> new LengthFramer(in, field, readSize, maxMessageSize, guard);
            case Framing.Raw r -> new RawFramer(in, readSize, maxMessageSize, guard);
        };
    }
}
