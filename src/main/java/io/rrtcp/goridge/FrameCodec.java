package io.rrtcp.goridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Reads and writes goridge frames. Header: version/HL nibbles, flags, u32 LE payload length, CRC-32 of bytes 0..5
 * (LE), stream byte, reserved byte, options (u32 LE each), then the payload. Every frame read is CRC-checked.
 */
public final class FrameCodec {
    public static final int HEADER_SIZE = 12;
    public static final int VERSION = 1;
    /** PHP CLI prints this to stdout when the worker script is missing; upstream special-cases it too. */
    private static final byte[] COULD_NOT_OPEN = "Could not op".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DIAGNOSTIC_BYTES = 64 * 1024;

    private FrameCodec() {
    }

    /** Encodes a whole frame into one array, so that it can be written with a single write call. */
    public static byte[] encode(Frame frame) {
        return encode(frame.flags(), frame.streamFlags(), frame.options(), frame.payload(), Frame.EMPTY);
    }

    /**
     * Encodes a frame whose payload is {@code first ‖ second} without concatenating them first
     * (a worker request is context ‖ body).
     */
    public static byte[] encode(int flags, int streamFlags, int[] options, byte[] first, byte[] second) {
        int headerLength = HEADER_SIZE + 4 * options.length;
        long payloadLength = (long) first.length + second.length;
        if (headerLength + payloadLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame payload too large: " + payloadLength + " bytes");
        }
        byte[] out = new byte[headerLength + (int) payloadLength];
        writeHeader(out, flags, streamFlags, options, (int) payloadLength);
        System.arraycopy(first, 0, out, headerLength, first.length);
        System.arraycopy(second, 0, out, headerLength + first.length, second.length);
        return out;
    }

    private static void writeHeader(byte[] out, int flags, int streamFlags, int[] options, int payloadLength) {
        out[0] = (byte) ((VERSION << 4) | (3 + options.length));
        out[1] = (byte) flags;
        putIntLE(out, 2, payloadLength);
        putIntLE(out, 6, (int) crc(out));
        out[10] = (byte) streamFlags;
        out[11] = 0;
        for (int i = 0; i < options.length; i++) {
            putIntLE(out, HEADER_SIZE + 4 * i, options[i]);
        }
    }

    /** Writes the frame with one write call and flushes. */
    public static void write(OutputStream out, Frame frame) throws IOException {
        out.write(encode(frame));
        out.flush();
    }

    /**
     * Reads one frame.
     *
     * @param maxPayload largest payload length accepted; a larger announced length is a protocol error
     * @return the frame, or {@code null} when the stream ends cleanly before the first header byte
     * @throws FrameException on a header that is not a valid frame, or a frame cut short by EOF
     */
    public static Frame read(InputStream in, int maxPayload) throws IOException {
        Header header = readHeader(in, maxPayload);
        if (header == null) {
            return null;
        }
        byte[] payload = header.payloadLength() == 0 ? Frame.EMPTY : readFully(in, header.payloadLength(), "payload");
        return new Frame(header.flags(), header.streamFlags(), header.options(), payload);
    }

    /**
     * A frame's header and options, checked as {@link #read} checks them, with the payload left on the stream for
     * the caller to read as it likes (a long body straight into chunks).
     *
     * @return null at end of stream before the first byte
     */
    public static Header readHeader(InputStream in, int maxPayload) throws IOException {
        byte[] header = new byte[HEADER_SIZE];
        int got = in.readNBytes(header, 0, HEADER_SIZE);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_SIZE) {
            throw new FrameException("truncated frame: stream ended after " + got + " of 12 header bytes: "
                    + printable(Arrays.copyOf(header, got), Frame.EMPTY));
        }
        if (startsWith(header, COULD_NOT_OPEN)) {
            throw new FrameException("worker printed to stdout instead of a frame: "
                    + printable(header, readRest(in)));
        }
        checkHeader(header, in);
        int optionCount = (header[0] & 0x0F) - 3;
        int payloadLength = getIntLE(header, 2);
        if (payloadLength < 0 || payloadLength > maxPayload) {
            throw new FrameException("frame announces a payload of " + Integer.toUnsignedString(payloadLength)
                    + " bytes, more than the limit of " + maxPayload + " bytes");
        }
        int[] options = new int[optionCount];
        if (optionCount > 0) {
            byte[] raw = readFully(in, 4 * optionCount, "options");
            for (int i = 0; i < optionCount; i++) {
                options[i] = getIntLE(raw, 4 * i);
            }
        }
        return new Header(header[1] & 0xFF, header[10] & 0xFF, options, payloadLength);
    }

    /** Header and options of a frame whose payload is still to be read. */
    public record Header(int flags, int streamFlags, int[] options, int payloadLength) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        public boolean hasStream(int flag) {
            return (streamFlags & flag) != 0;
        }
    }

    /** The header and options of a frame whose {@code payloadLength} payload bytes the caller writes after them. */
    public static byte[] header(int flags, int streamFlags, int[] options, long payloadLength) {
        if (HEADER_SIZE + 4L * options.length + payloadLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame payload too large: " + payloadLength + " bytes");
        }
        byte[] out = new byte[HEADER_SIZE + 4 * options.length];
        writeHeader(out, flags, streamFlags, options, (int) payloadLength);
        return out;
    }

    private static void checkHeader(byte[] header, InputStream in) throws IOException {
        long expected = Integer.toUnsignedLong(getIntLE(header, 6));
        long actual = crc(header);
        if (expected != actual) {
            throw new FrameException(String.format(
                    "invalid frame: header CRC mismatch (header says %08x, computed %08x); bytes: %s",
                    expected, actual, printable(header, drainAvailable(in))));
        }
        int version = (header[0] & 0xF0) >>> 4;
        if (version != VERSION) {
            throw new FrameException("invalid frame: unsupported protocol version " + version + " (expected 1); header: "
                    + HexFormat.of().formatHex(header));
        }
        int hl = header[0] & 0x0F;
        if (hl < 3 || hl > 3 + Frame.MAX_OPTIONS) {
            throw new FrameException("invalid frame: header length " + hl
                    + " words is outside 3..13 (at most 10 options); header: " + HexFormat.of().formatHex(header));
        }
    }

    private static byte[] readFully(InputStream in, int length, String what) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new FrameException("truncated frame: stream ended after " + data.length + " of " + length
                    + " " + what + " bytes");
        }
        return data;
    }

    /** CRC-32 (IEEE) of bytes 0..5, the part of the header that goridge protects. */
    static long crc(byte[] header) {
        CRC32 crc = new CRC32();
        crc.update(header, 0, 6);
        return crc.getValue();
    }

    static void putIntLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    static int getIntLE(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readRest(InputStream in) throws IOException {
        return in.readNBytes(MAX_DIAGNOSTIC_BYTES);
    }

    /** What is already buffered after a bad header; shown in the error without blocking on a live pipe. */
    private static byte[] drainAvailable(InputStream in) {
        try {
            int n = Math.min(in.available(), MAX_DIAGNOSTIC_BYTES);
            return n > 0 ? in.readNBytes(n) : Frame.EMPTY;
        } catch (IOException e) {
            return Frame.EMPTY;
        }
    }

    /**
     * Shows bytes as text when they start as text (stray output), else as hex. Stray output is often followed by a
     * real frame that arrived with it; the text part stays readable and the binary rest is shown as hex.
     */
    public static String printable(byte[] head, byte[] rest) {
        byte[] all = new byte[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        int shown = Math.min(all.length, 512);
        int text = 0;
        while (text < shown && isText(all[text] & 0xFF)) {
            text++;
        }
        String body;
        if (text == shown) {
            body = quoted(all, shown);
        } else if (text >= MIN_TEXT_PREFIX) {
            body = quoted(all, text) + " then " + HexFormat.of().formatHex(all, text, shown);
        } else {
            body = HexFormat.of().formatHex(all, 0, shown);
        }
        return body + (all.length > shown ? " (+" + (all.length - shown) + " more bytes)" : "");
    }

    /** Fewer leading text bytes than this are more likely a binary header than stray output. */
    private static final int MIN_TEXT_PREFIX = 2;

    private static boolean isText(int c) {
        return (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') && c != 0x7F;
    }

    private static String quoted(byte[] all, int length) {
        return '"' + new String(all, 0, length, StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r") + '"';
    }
}
