package io.rrtcp.tcp;

import io.rrtcp.config.Framing;
import io.rrtcp.goridge.Body;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts frames by a length field in their header ({@code framing: length}): {@code offset} bytes, the field (1 to 8
 * bytes, or a varint), then the field's value plus {@code adjust} more bytes. Each message is the whole frame, header
 * included. A frame's length is checked against {@code max_message_size} as soon as its header is complete, so an
 * oversized frame is refused before any of its body is read.
 * Short frames are copied out of a small buffer that may hold several of them; the rest of a longer frame is read
 * straight into arrays of its exact size (at most one chunk each: {@code read_buf_size}, at least 64 KiB), so the
 * buffer itself never grows past the longest header, and goes back to its idle size after each frame; a quiet
 * connection waits for its next frame holding none (see {@link IdleWait}).
 * Not thread-safe: one connection's thread owns it.
 */
public final class LengthFramer implements Framer {
    private static final byte[] NONE = new byte[0];
    /** A value above this is too large whatever {@code adjust} adds (caps and adjust are below 2^31). */
    private static final long HOPELESS = 1L << 40;

    private final InputStream in;
    private final Framing.Length field;
    private final int readSize;
    private final int maxMessageSize;
    private final int idleBuffer;
    private final int chunkSize;
    private final ReadGuard guard;
    private final IdleWait idle;
    private byte[] buf = NONE;
    /** Pending bytes are buf[start, end): the start of the next frame, perhaps several frames. */
    private int start;
    private int end;
    private boolean eof;
    private long bytesRead;

    /**
     * @param readSize       the most bytes one read asks for ({@code read_buf_size})
     * @param maxMessageSize the longest frame, header included, before {@link MessageTooLargeException}
     */
    public LengthFramer(InputStream in, Framing.Length field, int readSize, int maxMessageSize, ReadGuard guard) {
        this(in, field, readSize, maxMessageSize, guard, IdleWait.system());
    }

    LengthFramer(InputStream in, Framing.Length field, int readSize, int maxMessageSize, ReadGuard guard,
                 IdleWait idle) {
        if (readSize < 1 || maxMessageSize < 1) {
            throw new IllegalArgumentException("read size and message cap must be positive");
        }
        this.in = in;
        this.field = field;
        this.readSize = readSize;
        this.maxMessageSize = maxMessageSize;
        this.idleBuffer = Math.min(DelimiterScanner.IDLE_BUFFER, readSize);
        this.chunkSize = Math.max(readSize, DelimiterScanner.MIN_CHUNK);
        this.guard = guard;
        this.idle = idle;
    }

    /**
     * The next frame, header included.
     *
     * @throws MessageTooLargeException when the header declares more than {@code max_message_size} bytes
     * @throws FrameFormatException     when the length field is malformed or {@code adjust} makes it negative
     * @throws EOFException             when the client closes in the middle of a frame
     */
    @Override
    public Body nextBody() throws IOException {
        long frame;
        while ((frame = frameLength()) < 0) {
            if (eof) {
                if (pending() == 0) {
                    return null;
                }
                throw new EOFException("the client closed the connection " + pending()
                        + " bytes into a frame, before its length field was complete");
            }
            fill();
        }
        return frame <= pending() ? take((int) frame) : readRest(frame);
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public int buffered() {
        return pending();
    }

    @Override
    public int bufferCapacity() {
        return buf.length;
    }

    private int pending() {
        return end - start;
    }

    /** The whole length of the frame at {@code start}, header included; -1 while its length field is incomplete. */
    private long frameLength() throws IOException {
        int at = start + field.offset();
        long value;
        int fieldEnd;
        if (field.varint()) {
            value = 0;
            int i = 0;
            while (true) {
                if (at + i >= end) {
                    return -1;
                }
                int b = buf[at + i] & 0xff;
                value |= (long) (b & 0x7f) << (7 * i);
                i++;
                if ((b & 0x80) == 0) {
                    break;
                }
                if (i == Framing.Length.MAX_VARINT_BYTES) {
                    throw new FrameFormatException("malformed varint length at byte " + field.offset() + ": byte "
                            + i + " of it still has the continuation bit set (a varint has at most "
                            + Framing.Length.MAX_VARINT_BYTES + " bytes)");
                }
            }
            fieldEnd = field.offset() + i;
        } else {
            if (at + field.size() > end) {
                return -1;
            }
            value = fixedWidth(at);
            fieldEnd = field.offset() + field.size();
        }
        if (value < 0 || value > HOPELESS) { // an 8-byte field can declare up to 2^64 - 1
            throw MessageTooLargeException.declared(new BigInteger(Long.toUnsignedString(value))
                    .add(BigInteger.valueOf((long) fieldEnd + field.adjust())).toString(), maxMessageSize);
        }
        long after = value + field.adjust();
        if (after < 0) {
            throw new FrameFormatException("the length field holds " + value + ", and adjust " + field.adjust()
                    + " makes that " + after + " bytes after it (a negative length)");
        }
        long frame = fieldEnd + after;
        if (frame > maxMessageSize) {
            throw MessageTooLargeException.declared(Long.toString(frame), maxMessageSize);
        }
        return frame;
    }

    private long fixedWidth(int at) {
        long value = 0;
        int size = field.size();
        for (int i = 0; i < size; i++) {
            int b = buf[at + (field.order() == ByteOrder.BIG_ENDIAN ? i : size - 1 - i)] & 0xff;
            value = value << 8 | b;
        }
        return value;
    }

    /** A frame that is all in the buffer; several may be. */
    private Body take(int frame) {
        byte[] message = Arrays.copyOfRange(buf, start, start + frame);
        start += frame;
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (buf.length > idleBuffer && pending() <= idleBuffer / 2) {
            // a long header is gone: keep what is pending in a small buffer and give the big one back
            byte[] small = new byte[idleBuffer];
            System.arraycopy(buf, start, small, 0, pending());
            end = pending();
            start = 0;
            buf = small;
        }
        return Body.of(message);
    }

    /**
     * A frame longer than what is buffered (all of which belongs to it): the buffered part, then reads of its exact
     * remainder straight into the frame's own arrays, never past its end.
     */
    private Body readRest(long frame) throws IOException {
        List<Body.Slice> slices = new ArrayList<>();
        long left = frame;
        while (left > 0) {
            byte[] chunk = new byte[(int) Math.min(chunkSize, left)];
            int at = drainPendingInto(chunk);
            while (at < chunk.length) {
                guard.beforeRead(true);
                int n = in.read(chunk, at, Math.min(readSize, chunk.length - at));
                if (n < 0) {
                    throw new EOFException("the client closed the connection " + (frame - left + at)
                            + " bytes into a frame of " + frame + " bytes");
                }
                at += n;
                bytesRead += n;
            }
            slices.add(new Body.Slice(chunk, 0, chunk.length));
            left -= chunk.length;
        }
        if (buf.length > idleBuffer) {
            buf = new byte[idleBuffer];
        }
        return slices.size() == 1 ? Body.of(slices.getFirst().array()) : Body.of(slices);
    }

    private int drainPendingInto(byte[] chunk) {
        int n = Math.min(pending(), chunk.length);
        System.arraycopy(buf, start, chunk, 0, n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        return n;
    }

    private void fill() throws IOException {
        boolean betweenFrames = pending() == 0;
        guard.beforeRead(!betweenFrames);
        if (betweenFrames && idle.quiet()) {
            waitWithoutBuffer();
            return;
        }
        makeRoom();
        int n = idle.read(in, buf, end, Math.min(readSize, buf.length - end), betweenFrames);
        if (n < 0) {
            eof = true;
            return;
        }
        end += n;
        bytesRead += n;
    }

    /** A quiet connection's wait for its next frame: the buffer is dropped, the first byte starts a fresh one. */
    private void waitWithoutBuffer() throws IOException {
        buf = NONE;
        start = 0;
        end = 0;
        buf = idle.firstByte(in, idleBuffer);
        eof = buf.length == 0;
        end = eof ? 0 : 1;
        bytesRead += end;
    }

    /**
     * Room for at least one more byte. The buffer is only full while a header is incomplete, so it grows at most to
     * the longest header ({@code offset} + 8 bytes).
     */
    private void makeRoom() {
        if (buf.length == 0) {
            buf = new byte[idleBuffer];
            return;
        }
        if (end < buf.length) {
            return;
        }
        int pending = pending();
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, pending);
        } else {
            int longestHeader = field.offset() + 8;
            byte[] bigger = new byte[Math.max(pending + 1, Math.min(buf.length * 2, longestHeader))];
            System.arraycopy(buf, 0, bigger, 0, pending);
            buf = bigger;
        }
        start = 0;
        end = pending;
    }
}
