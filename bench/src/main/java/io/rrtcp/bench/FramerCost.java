package io.rrtcp.bench;

import io.rrtcp.tcp.Framer;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * A framer alone, without sockets or workers: nanoseconds per 64-byte message when every read returns one message, as
 * in the echo benchmark where a client sends its next message only after the reply.
 */
final class FramerCost {
    private FramerCost() {
    }

    /** Median-free single measurement: the caller alternates framings and takes medians. */
    static double nanosPerMessage(byte[] message, int messages, Function<InputStream, Framer> framing) throws IOException {
        Framer framer = framing.apply(new OneMessagePerRead(message, messages));
        long t0 = System.nanoTime();
        long bytes = 0;
        for (var body = framer.nextBody(); body != null; body = framer.nextBody()) {
            bytes += body.length();
        }
        long elapsed = System.nanoTime() - t0;
        if (bytes != (long) message.length * messages) {
            throw new IllegalStateException("framed " + bytes + " bytes of " + (long) message.length * messages);
        }
        return (double) elapsed / messages;
    }

    /** The same message again and again, one per read. */
    private static final class OneMessagePerRead extends InputStream {
        private final byte[] message;
        private int left;

        OneMessagePerRead(byte[] message, int count) {
            this.message = message;
            this.left = count;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            left--;
            System.arraycopy(message, 0, b, off, message.length);
            return message.length;
        }
    }
}
