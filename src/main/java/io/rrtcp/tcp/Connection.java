package io.rrtcp.tcp;

import io.rrtcp.goridge.Body;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: its socket, identity and counters. Writes are whole messages under a lock, so replies from
 * the connection's own worker and writes from elsewhere (RPC) never interleave.
 */
public final class Connection {
    private final Socket socket;
    private volatile OutputStream out;
    /** The SSLSocket over {@code socket} once TLS is on; null while plain. */
    private volatile Socket tlsSocket;
    private volatile boolean startTlsOffered;
    private final AtomicBoolean startTlsRequested = new AtomicBoolean();
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

    /**
     * Makes the connection write through {@code link} from now on. Under the write lock, so a write from elsewhere
     * (RPC) goes entirely before or after the switch; with STARTTLS the handshake runs inside it, so nothing is
     * written in plain text after the worker's STARTTLS reply.
     */
    Link use(Transport transport, boolean startTls) throws IOException {
        writeLock.lock();
        try {
            startTlsOffered = !startTls && transport.offersStartTls();
            Link link = startTls ? transport.startTls(socket) : transport.open(socket);
            out = link.out();
            if (link.tls().isPresent()) {
                tlsSocket = link.socket();
                startTlsOffered = false;
            }
            return link;
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether the connection is encrypted. */
    public boolean tls() {
        return tlsSocket != null;
    }

    /**
     * Asks for TLS right after the connection's next reply is written ({@code tcp.StartTLS}).
     *
     * @throws IllegalStateException when the server does not offer STARTTLS or the connection already uses TLS
     */
    public void requestStartTls() {
        if (tls()) {
            throw new IllegalStateException("connection " + uuid + " already uses TLS");
        }
        if (!startTlsOffered) {
            throw new IllegalStateException("server " + server + " does not offer STARTTLS (set tcp.servers." + server
                    + ".tls.starttls: true)");
        }
        startTlsRequested.set(true);
    }

    /** True once after {@link #requestStartTls()}. */
    boolean takeStartTlsRequest() {
        return startTlsRequested.getAndSet(false);
    }

    /**
     * The handler's own close at the end: a TLS connection that nobody else closed says goodbye (close_notify) first,
     * bounded by {@code write_timeout} like any write.
     */
    void finish() {
        Socket secure = tlsSocket;
        if (secure != null && closedBy == null) {
            writeLock.lock();
            try {
                if (writeTimeoutNanos > 0) {
                    writeDeadline = System.nanoTime() + writeTimeoutNanos;
                }
                secure.close();
            } catch (IOException ignored) {
                // the client left first; the socket below is closed next anyway
            } finally {
                writeDeadline = 0;
                writeLock.unlock();
            }
        }
        close("handler");
    }

    /** Why rr-tcp closed the connection, or null if it did not (yet). */
    public String closedBy() {
        return closedBy;
    }
}
