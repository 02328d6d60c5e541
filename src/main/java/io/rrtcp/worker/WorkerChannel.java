package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
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

    private final CountingInputStream in;
    private final OutputStream out;
    /** Non-null when stdin/stdout are channels: rr-tcp closes them itself once the process is gone. */
    private final PipeChannels pipes;
    /** Non-null on a socket relay. */
    private final SocketChannel socket;

    private WorkerChannel(InputStream in, OutputStream out, PipeChannels pipes, SocketChannel socket) {
        this.in = new CountingInputStream(new BufferedInputStream(in, BUFFER));
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

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
