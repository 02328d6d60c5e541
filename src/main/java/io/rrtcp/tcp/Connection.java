package io.rrtcp.tcp;

import io.rrtcp.goridge.Body;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: its socket, identity and counters. Writes are whole messages under a lock, so replies from
 * the connection's own worker and writes from elsewhere (RPC) never interleave.
 */
public final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final String uuid;
    private final String server;
    private final String remoteAddr;
    private final Instant connectedAt = Instant.now();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final long writeTimeoutNanos;
    private final ServerMeter meter;
    /** System.nanoTime() by which the write in progress must end; 0 while none is in progress. */
    private volatile long writeDeadline;
    private volatile String closedBy;

    Connection(Socket socket, String uuid, String server, String remoteAddr, Duration writeTimeout, ServerMeter meter)
            throws IOException {
        this.socket = socket;
        this.meter = meter;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.out = socket.getOutputStream();
        this.uuid = uuid;
        this.server = server;
        this.remoteAddr = remoteAddr;
    }

    public String uuid() {
        return uuid;
    }

    public String server() {
        return server;
    }

    public String remoteAddr() {
        return remoteAddr;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    Socket socket() {
        return socket;
    }

    void countIn(long n) {
        bytesIn.addAndGet(n);
        meter.received(n);
    }

    /** Writes one whole message. */
    public void write(byte[] data) throws IOException {
        write(Body.of(data));
    }

    /** Writes one whole message, slice by slice, with no other write in between. */
    public void write(Body data) throws IOException {
        if (data.length() == 0) {
            return;
        }
        writeLock.lock();
        try {
            if (writeTimeoutNanos > 0) {
                writeDeadline = System.nanoTime() + writeTimeoutNanos;
            }
            data.writeTo(out);
            bytesOut.addAndGet(data.length());
            meter.sent(data.length());
        } finally {
            writeDeadline = 0;
            writeLock.unlock();
        }
    }

    /** True when a write has been blocked past {@code write_timeout} (the client does not read). */
    boolean writeOverdue(long now) {
        long deadline = writeDeadline;
        return deadline != 0 && now - deadline > 0;
    }

    /** Its server's {@code write_timeout}; zero when writes are not bounded. */
    public Duration writeTimeout() {
        return Duration.ofNanos(writeTimeoutNanos);
    }

    /**
     * Closes the socket; a read blocked on it fails, and the connection's handler delivers CLOSE.
     *
     * @param reason who closed it, for the log (e.g. "shutdown", "tcp.Close")
     */
    public void close(String reason) {
        if (closedBy == null) {
            closedBy = reason;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed already: nothing more to release
        }
    }

    /** Why rr-tcp closed the connection, or null if it did not (yet). */
    public String closedBy() {
        return closedBy;
    }
}
