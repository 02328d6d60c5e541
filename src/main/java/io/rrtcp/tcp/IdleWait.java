package io.rrtcp.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * How a framer waits for a connection's next message, so that an idle connection holds no read buffer. A blocked read
 * keeps the array it reads into, so a quiet connection (a new one, or one whose last wait for a message was long)
 * waits in a one-byte read with its buffer dropped; the rest of the message then comes into a fresh small buffer,
 * with one more read. A busy connection (each of its last {@link #BUSY_AFTER} waits ended within {@link #QUIET_NANOS})
 * keeps its buffer and waits in a full read: on the busy message path this costs two clock reads, no system call.
 * Not thread-safe: one connection's thread owns it, with its framer.
 */
final class IdleWait {
    /** A wait for a message longer than this makes the connection quiet. */
    static final long QUIET_NANOS = 1_000_000_000;
    /** Consecutive short waits after which a connection counts as busy. */
    static final int BUSY_AFTER = 3;

    private final LongSupplier clock;
    private int shortWaits;
    private long waitStart;

    /** @param nanoClock System::nanoTime, or a test's clock */
    IdleWait(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    static IdleWait system() {
        return new IdleWait(System::nanoTime);
    }

    /** True while the next wait for a message should hold no buffer. */
    boolean quiet() {
        return shortWaits < BUSY_AFTER;
    }

    /** A wait for a message (nothing of it buffered) starts now. */
    void waiting() {
        waitStart = clock.getAsLong();
    }

    /** The wait begun by {@link #waiting()} is over: bytes (or the end of the stream) came. */
    void waited() {
        boolean shortWait = clock.getAsLong() - waitStart <= QUIET_NANOS;
        shortWaits = shortWait ? Math.min(shortWaits + 1, BUSY_AFTER) : 0;
    }

    /**
     * One read of the framer's: timed as a wait for a message when nothing of one is buffered yet
     * ({@code betweenMessages}), so that the connection's busy or quiet state follows how long it waited.
     */
    int read(InputStream in, byte[] buf, int off, int len, boolean betweenMessages) throws IOException {
        if (!betweenMessages) {
            return in.read(buf, off, len);
        }
        waiting();
        int n = in.read(buf, off, len);
        waited();
        return n;
    }

    /**
     * A quiet connection's wait, once its framer has let go of its buffer (a blocked read keeps the array it reads
     * into): blocks in a one-byte read, then returns a fresh buffer of {@code size} bytes with that byte first, or an
     * empty array at the end of the stream.
     */
    byte[] firstByte(InputStream in, int size) throws IOException {
        byte[] one = new byte[1];
        waiting();
        int n;
        do {
            n = in.read(one, 0, 1);
        } while (n == 0);
        waited();
        if (n < 0) {
            return new byte[0];
        }
        byte[] fresh = new byte[size];
        fresh[0] = one[0];
        return fresh;
    }
}
