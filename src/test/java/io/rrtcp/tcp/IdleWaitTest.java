package io.rrtcp.tcp;

import io.rrtcp.config.Framing;
import io.rrtcp.goridge.Body;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A quiet connection waits for its next message with no read buffer; a busy one keeps it. Time is a fake clock that
 * the test input moves forward by each read's "wait", so nothing here depends on real timing.
 */
class IdleWaitTest {
    private static final long SHORT = IdleWait.QUIET_NANOS / 10;
    private static final long LONG = IdleWait.QUIET_NANOS * 100;

    /** One read as the framer made it: how many bytes it asked for and the framer's buffer while it blocked. */
    record Read(int asked, int bufferHeld) {
    }

    /**
     * Hands out segments, each after a wait (the clock moves forward when a read starts a segment); reads never cross
     * a segment. Records every read with the framer's buffer capacity at that moment (the same thread, so exact).
     */
    private static final class TimedSegments extends InputStream {
        private final Deque<byte[]> segments = new ArrayDeque<>();
        private final Deque<Long> waits = new ArrayDeque<>();
        private final List<Read> reads = new ArrayList<>();
        private long now;
        private byte[] current;
        private int pos;
        private IntSupplier buffer = () -> -1;

        TimedSegments segment(long waitNanos, String bytes) {
            segments.add(bytes.getBytes(StandardCharsets.US_ASCII));
            waits.add(waitNanos);
            return this;
        }

        long clock() {
            return now;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("framers read into arrays");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads.add(new Read(len, buffer.getAsInt()));
            if (current == null || pos == current.length) {
                if (segments.isEmpty()) {
                    return -1;
                }
                now += waits.poll();
                current = segments.poll();
                pos = 0;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** An IdleWait that already counts as busy: framers that use it read as they did before quiet waits. */
    static IdleWait busy() {
        IdleWait busy = new IdleWait(() -> 0);
        for (int i = 0; i < IdleWait.BUSY_AFTER; i++) {
            busy.waiting();
            busy.waited();
        }
        return busy;
    }

    private static List<String> all(Framer framer) throws IOException {
        List<String> out = new ArrayList<>();
        for (Body b; (b = framer.nextBody()) != null; ) {
            out.add(new String(b.toArray(), StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static DelimiterScanner scanner(TimedSegments in, String delimiter) {
        DelimiterScanner s = new DelimiterScanner(in, delimiter.getBytes(StandardCharsets.US_ASCII), 1 << 20, 1 << 20,
                ReadGuard.NONE, new IdleWait(in::clock));
        in.buffer = s::bufferCapacity;
        return s;
    }

    @Test
    void aNewConnectionWaitsForItsFirstMessageHoldingNoBuffer() throws IOException {
        TimedSegments in = new TimedSegments().segment(LONG, "hello\n");
        assertEquals(List.of("hello\n"), all(scanner(in, "\n")));
        assertEquals(new Read(1, 0), in.reads.getFirst(), "a one-byte read with no buffer held");
        assertEquals(DelimiterScanner.IDLE_BUFFER, in.reads.get(1).bufferHeld(), "the rest into a fresh small buffer");
    }

    @Test
    void theBufferIsReleasedWhileQuietAndAllocatedAgainForTheNextMessage() throws IOException {
        TimedSegments in = new TimedSegments().segment(LONG, "a\n").segment(LONG, "bc\n").segment(LONG, "d\n");
        DelimiterScanner s = scanner(in, "\n");
        assertEquals("a\n", new String(s.nextBody().toArray(), StandardCharsets.US_ASCII));
        assertEquals(DelimiterScanner.IDLE_BUFFER, s.bufferCapacity(), "held until the connection waits again");
        assertEquals(List.of("bc\n", "d\n"), all(s));
        List<Read> waits = in.reads.stream().filter(r -> r.asked() == 1).toList();
        assertEquals(List.of(new Read(1, 0), new Read(1, 0), new Read(1, 0), new Read(1, 0)), waits,
                "every wait for a message (and the one that saw the end) held no buffer");
    }

    @Test
    void aBusyConnectionKeepsItsBufferAndReadsInFullAgainUntilItGoesQuiet() throws IOException {
        TimedSegments in = new TimedSegments();
        for (int i = 0; i < IdleWait.BUSY_AFTER + 3; i++) {
            in.segment(SHORT, "m" + i + "\n");
        }
        in.segment(LONG, "late\n").segment(SHORT, "next\n");
        List<String> messages = all(scanner(in, "\n"));
        assertEquals(IdleWait.BUSY_AFTER + 5, messages.size());
        assertEquals("late\n", messages.get(IdleWait.BUSY_AFTER + 3));
        // the first BUSY_AFTER waits are quiet (one-byte read plus the rest), then one full read per message
        long oneByteWaits = in.reads.stream().filter(r -> r.asked() == 1).count();
        assertEquals(IdleWait.BUSY_AFTER + 1 + 1, oneByteWaits,
                "quiet until BUSY_AFTER short waits; quiet again after the long one; the end of stream is met quiet");
        Read busyWait = in.reads.get(2 * IdleWait.BUSY_AFTER);
        assertEquals(new Read(DelimiterScanner.IDLE_BUFFER, DelimiterScanner.IDLE_BUFFER), busyWait);
    }

    @Test
    void messagesSplitAcrossTheQuietBoundaryAreFramedRight() throws IOException {
        TimedSegments in = new TimedSegments().segment(LONG, "\r").segment(SHORT, "\nab\r").segment(LONG, "\n")
                .segment(LONG, "c").segment(LONG, "d\r\ne\r\nf");
        assertEquals(List.of("\r\n", "ab\r\n", "cd\r\n", "e\r\n", "f"), all(scanner(in, "\r\n")));
    }

    @Test
    void aDelimiterAloneIsAMessageAfterAQuietWait() throws IOException {
        TimedSegments in = new TimedSegments().segment(LONG, "\n").segment(LONG, "x\n");
        assertEquals(List.of("\n", "x\n"), all(scanner(in, "\n")));
    }

    @Test
    void theEndOfStreamDuringAQuietWaitEndsTheMessages() throws IOException {
        TimedSegments in = new TimedSegments().segment(LONG, "a\n");
        DelimiterScanner s = scanner(in, "\n");
        assertEquals("a\n", new String(s.nextBody().toArray(), StandardCharsets.US_ASCII));
        assertNull(s.nextBody());
        assertEquals(3, s.bytesRead() + 1, "bytes counted across the one-byte reads");
    }

    @Test
    void lengthFramingWaitsQuietlyTooAndFramesAcrossTheBoundary() throws IOException {
        // offset 0, a one-byte length, then that many bytes: "\u0002ab" is one frame
        Framing.Length field = new Framing.Length(0, 1, java.nio.ByteOrder.BIG_ENDIAN, 0);
        TimedSegments in = new TimedSegments().segment(LONG, "\u0002").segment(SHORT, "ab\u0003")
                .segment(LONG, "xyz").segment(LONG, "\u0000").segment(LONG, "\u0001q");
        LengthFramer framer = new LengthFramer(in, field, 1 << 20, 1 << 20, ReadGuard.NONE, new IdleWait(in::clock));
        in.buffer = framer::bufferCapacity;
        assertEquals(List.of("\u0002ab", "\u0003xyz", "\u0000", "\u0001q"), all(framer));
        assertEquals(new Read(1, 0), in.reads.getFirst(), "the first frame awaited with no buffer");
        // a frame's rest is read to its exact length, so the next header is always awaited anew: "\u0003" too
        assertEquals(5, in.reads.stream().filter(r -> r.equals(new Read(1, 0))).count(),
                "every frame whose header was not buffered, and the end of stream, awaited with no buffer");
    }
}
