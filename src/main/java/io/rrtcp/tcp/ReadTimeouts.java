package io.rrtcp.tcp;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Arms a socket's read timeout before each read from {@code idle_timeout} (no byte for that long) and
 * {@code read_timeout} (a started message must be complete in that time, against slowloris clients), and turns the
 * socket's timeout into an error naming the limit that fired.
 */
final class ReadTimeouts implements ReadGuard {
    private final Socket socket;
    private final long idleNanos;
    private final long readNanos;
    private final LongSupplier clock;
    /** When the message being received started arriving; -1 while none is. */
    private long messageStart = -1;
    private String armedFor;

    ReadTimeouts(Socket socket, Duration idleTimeout, Duration readTimeout, LongSupplier nanoClock) {
        this.socket = socket;
        this.idleNanos = idleTimeout.toNanos();
        this.readNanos = readTimeout.toNanos();
        this.clock = nanoClock;
    }

    boolean enabled() {
        return idleNanos > 0 || readNanos > 0;
    }

    @Override
    public void beforeRead(boolean messageStarted) throws IOException {
        long now = clock.getAsLong();
        if (!messageStarted) {
            messageStart = -1;
        } else if (messageStart < 0) {
            messageStart = now; // its first bytes came with the read that just returned
        }
        long wait = idleNanos;
        armedFor = "idle_timeout";
        if (readNanos > 0 && messageStart >= 0) {
            long left = messageStart + readNanos - now;
            if (left <= 0) {
                throw readTimeout();
            }
            if (wait == 0 || left < wait) {
                wait = left;
                armedFor = "read_timeout";
            }
        }
        socket.setSoTimeout(wait == 0 ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (wait + 999_999) / 1_000_000)));
    }

    /** The limit behind a read that timed out. */
    LimitExceededException explain(SocketTimeoutException e) {
        return "read_timeout".equals(armedFor) ? readTimeout()
                : new LimitExceededException("idle_timeout", "no data from the client for "
                + Duration.ofNanos(idleNanos).toMillis() + "ms");
    }

    private LimitExceededException readTimeout() {
        return new LimitExceededException("read_timeout", "a message was not complete within "
                + Duration.ofNanos(readNanos).toMillis() + "ms of its first byte");
    }
}
