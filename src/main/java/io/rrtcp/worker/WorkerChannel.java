package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/**
 * The byte streams to and from one worker: its stdin/stdout (as channels on the JDK's poller where the JVM allows it,
 * see {@link PipeChannels}, else the process streams) or its socket relay connection.
 */
final class WorkerChannel {
    private static final Log LOG = Log.get("server");
    private static final int BUFFER = 64 * 1024;

    private final ReplyReader in;
    private final OutputStream out;
    /** Non-null when stdin/stdout are channels: rr-tcp closes them itself once the process is gone. */
    private final PipeChannels pipes;
    /** Non-null on a socket relay. */
    private final SocketChannel socket;

    private WorkerChannel(InputStream in, OutputStream out, PipeChannels pipes, SocketChannel socket) {
        this.in = new ReplyReader(in, BUFFER);
        this.out = out;
        this.pipes = pipes;
        this.socket = socket;
    }

    static WorkerChannel pipes(Process process) {
        Optional<PipeChannels> taken = PipeChannels.take(process);
        if (taken.isPresent()) {
            return new WorkerChannel(taken.get().input(), taken.get().output(), taken.get(), null);
        }
        return new WorkerChannel(process.getInputStream(), process.getOutputStream(), null, null);
    }

    static WorkerChannel socket(SocketChannel socket) {
        return new WorkerChannel(Channels.newInputStream(socket), Channels.newOutputStream(socket), null, socket);
    }

    InputStream input() {
        return in;
    }

    /** Bytes read so far: tells "hung up before any reply byte" from "hung up mid-reply". */
    long bytesRead() {
        return in.count;
    }

    /** How many bytes the worker wrote that wait unread; 0 when none or when the output is gone. */
    int waiting() {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Bytes already read from the worker and not yet taken by a reader (no syscall): a second frame sent with the reply. */
    int buffered() {
        return in.buffered();
    }

    /** What the worker wrote that is still unread, up to {@code max} bytes, for an error message. */
    byte[] unread(int max) {
        try {
            return in.readNBytes(Math.min(max, in.available()));
        } catch (IOException e) {
            return new byte[0];
        }
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    OutputStream output() {
        return out;
    }

    /** Whether the worker's answers usually take long (true unless its pipes are channels that learned otherwise). */
    boolean answersSlowly() {
        return pipes == null || pipes.answersSlowly();
    }

    /** Whether stdin/stdout are channels on the JDK's poller (true) or the process streams (false). */
    boolean onPoller() {
        return pipes != null;
    }

    /** Frees the pipe descriptors, when rr-tcp owns them (call once the process is gone and no exchange reads). */
    void closePipes() {
        if (pipes != null) {
            pipes.close();
        }
    }

    /** Closes the socket relay connection, if this is one. */
    void closeSocket(long pid) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("relay connection close failed", "pid", pid, "error", e.getMessage());
            }
        }
    }

    /**
     * The worker's output, buffered and counted. One reader at a time (the exchange lock), so no lock of its own: a
     * {@link java.io.BufferedInputStream} takes one per call, and a subclass of it would take a monitor.
     */
    private static final class ReplyReader extends InputStream {
        private final InputStream in;
        private final byte[] buffer;
        private int pos;
        private int end;
        private long count;

        ReplyReader(InputStream in, int size) {
            this.in = in;
            this.buffer = new byte[size];
        }

        /** Bytes read from the worker but not yet taken. */
        int buffered() {
            return end - pos;
        }

        @Override
        public int read() throws IOException {
            if (pos == end && fill() <= 0) {
                return -1;
            }
            count++;
            return buffer[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n;
            if (pos < end) {
                n = Math.min(len, end - pos);
                System.arraycopy(buffer, pos, b, off, n);
                pos += n;
            } else if (len >= buffer.length) {
                n = in.read(b, off, len); // a long read goes straight to the caller's array
                if (n <= 0) {
                    return n < 0 ? -1 : 0;
                }
            } else {
                if (fill() <= 0) {
                    return -1;
                }
                n = Math.min(len, end);
                System.arraycopy(buffer, 0, b, off, n);
                pos = n;
            }
            count += n;
            return n;
        }

        private int fill() throws IOException {
            pos = 0;
            end = 0;
            int n = in.read(buffer, 0, buffer.length);
            if (n > 0) {
                end = n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return buffered() + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
