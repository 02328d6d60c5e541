package io.rrtcp.goridge;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One goridge frame: flags, the "stream" byte, up to ten u32 options and a payload.
 * The same layout serves worker relays and RPC sockets; {@link FrameCodec} turns it into bytes and back.
 *
 * @param flags       byte 1 (see the flag constants)
 * @param streamFlags byte 10 (see {@link #STREAM}, {@link #STOP}, {@link #PING}, {@link #PONG})
 * @param options     unsigned 32-bit options, at most {@link #MAX_OPTIONS}
 * @param payload     the payload bytes (not copied: frames are handed over, not shared)
 */
public record Frame(int flags, int streamFlags, int[] options, byte[] payload) {
    public static final int CONTROL = 0x01;
    public static final int CODEC_RAW = 0x04;
    public static final int CODEC_JSON = 0x08;
    public static final int CODEC_MSGPACK = 0x10;
    public static final int CODEC_GOB = 0x20;
    public static final int ERROR = 0x40;
    public static final int CODEC_PROTO = 0x80;

    public static final int STREAM = 0x01;
    public static final int STOP = 0x02;
    public static final int PING = 0x04;
    public static final int PONG = 0x08;

    public static final int MAX_OPTIONS = 10;
    static final int[] NO_OPTIONS = new int[0];
    static final byte[] EMPTY = new byte[0];

    public Frame {
        if ((flags & ~0xFF) != 0 || (streamFlags & ~0xFF) != 0) {
            throw new IllegalArgumentException("flags and stream flags are single bytes");
        }
        if (options.length > MAX_OPTIONS) {
            throw new IllegalArgumentException("a frame carries at most " + MAX_OPTIONS + " options, got " + options.length);
        }
    }

    /** A frame with no options and stream byte 0. */
    public static Frame of(int flags, byte[] payload) {
        return new Frame(flags, 0, NO_OPTIONS, payload);
    }

    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    public boolean hasStream(int flag) {
        return (streamFlags & flag) == flag;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && flags == f.flags && streamFlags == f.streamFlags
                && Arrays.equals(options, f.options) && Arrays.equals(payload, f.payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * flags + streamFlags) + Arrays.hashCode(options)) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String shown = payload.length <= 64 ? HexFormat.of().formatHex(payload)
                : HexFormat.of().formatHex(payload, 0, 64) + "...";
        return "Frame[flags=0x" + Integer.toHexString(flags) + ", stream=0x" + Integer.toHexString(streamFlags)
                + ", options=" + Arrays.toString(options) + ", payload(" + payload.length + ")=" + shown + "]";
    }
}
