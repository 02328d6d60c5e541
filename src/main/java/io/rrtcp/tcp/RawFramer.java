package io.rrtcp.tcp;

import io.rrtcp.goridge.Body;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * {@code framing: raw}: every read of the socket is one message, of at most {@code read_buf_size} bytes (and never more
 * than {@code max_message_size}), as upstream hands out reads. Nothing is kept between messages. The blocking read goes
 * into a small buffer; only when that fills up is the rest of what has already arrived taken in the same message, so
 * an idle connection holds the small buffer, never a {@code read_buf_size} one.
 * Not thread-safe: one connection's thread owns it.
 */
public final class RawFramer implements Framer {
    private static final byte[] NONE = new byte[0];

    private final InputStream in;
    private final int readSize;
    private final int idleBuffer;
    private final ReadGuard guard;
    private byte[] buf = NONE;
    private long bytesRead;

    /**
     * @param readSize       the most bytes one message holds ({@code read_buf_size})
     * @param maxMessageSize lowers that when smaller ({@code max_message_size})
     */
    public RawFramer(InputStream in, int readSize, int maxMessageSize, ReadGuard guard) {
        if (readSize < 1 || maxMessageSize < 1) {
            throw new IllegalArgumentException("read size and message cap must be positive");
        }
        this.in = in;
        this.readSize = Math.min(readSize, maxMessageSize);
        this.idleBuffer = Math.min(DelimiterScanner.IDLE_BUFFER, this.readSize);
        this.guard = guard;
    }

    /** The bytes of the next read, or {@code null} at the end of the stream. */
    @Override
    public Body nextBody() throws IOException {
        if (buf.length == 0) {
            buf = new byte[idleBuffer];
        }
        guard.beforeRead(false);
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            return null;
        }
        bytesRead += n;
        int more = n < buf.length ? 0 : Math.min(in.available(), readSize - n);
        if (more <= 0) {
            return Body.of(Arrays.copyOf(buf, n));
        }
        // the small buffer filled up: what has arrived meanwhile belongs to the same read of read_buf_size
        byte[] message = Arrays.copyOf(buf, n + more);
        int m = Math.max(0, in.read(message, n, more)); // available() bytes: this read does not block
        bytesRead += m;
        return Body.of(m == more ? message : Arrays.copyOf(message, n + m));
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    /** None: every read is handed out whole. */
    @Override
    public int buffered() {
        return 0;
    }

    @Override
    public int bufferCapacity() {
        return buf.length;
    }
}
