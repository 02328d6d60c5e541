package io.rrtcp.tcp;

import io.rrtcp.config.Framing;
import io.rrtcp.goridge.Body;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LengthFramerTest {
    private static final int MB = 1 << 20;
    private static final Framing.Length MODBUS = new Framing.Length(4, 2, BIG_ENDIAN, 0);
    private static final Framing.Length MQTT = new Framing.Length(1, Framing.Length.VARINT, BIG_ENDIAN, 0);

    /** A frame: {@code offset} header bytes, the length field holding {@code after.length - adjust}, then after. */
    static byte[] frame(Framing.Length field, byte[] after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < field.offset(); i++) {
            out.write(0xA0 + i);
        }
        long value = after.length - (long) field.adjust();
        if (field.varint()) {
            do {
                int group = (int) (value & 0x7f);
                value >>>= 7;
                out.write(value > 0 ? group | 0x80 : group);
            } while (value > 0);
        } else {
            for (int i = 0; i < field.size(); i++) {
                int shift = 8 * (field.order() == BIG_ENDIAN ? field.size() - 1 - i : i);
                out.write((int) (value >>> shift) & 0xff);
            }
        }
        out.writeBytes(after);
        return out.toByteArray();
    }

    /** Bytes 0..n-1 cycling through every byte value. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i + seed);
        }
        return b;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static List<byte[]> frames(Framing.Length field, int... afterLengths) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < afterLengths.length; i++) {
            frames.add(frame(field, pattern(afterLengths[i], i * 37)));
        }
        return frames;
    }

    private static List<byte[]> readAll(LengthFramer framer) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Body b; (b = framer.nextBody()) != null; ) {
            out.add(b.toArray());
        }
        return out;
    }

    private static LengthFramer framer(InputStream in, Framing.Length field) {
        return new LengthFramer(in, field, MB, 16 * MB, ReadGuard.NONE, IdleWaitTest.busy()); // reads counted as before
    }

    private static void assertFrames(List<byte[]> expected, List<byte[]> actual, String where) {
        assertEquals(expected.size(), actual.size(), where + ": frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), where + ": frame " + i);
        }
    }

    @Test
    void everySplitPointOfAStreamOfMixedFramesGivesTheSameFrames() throws IOException {
        // empty, tiny, one byte short of and past the idle buffer, and every byte value
        List<byte[]> expected = frames(MODBUS, 0, 1, 7, 256, 1017, 1018, 1500, 3);
        byte[] stream = concat(expected);
        for (int cut = 0; cut <= stream.length; cut++) {
            assertFrames(expected, readAll(framer(SplitInput.cutAt(stream, cut), MODBUS)), "cut at " + cut);
        }
        assertFrames(expected, readAll(framer(SplitInput.oneByteReads(stream), MODBUS)), "1-byte reads");
    }

    @Test
    void everyPairOfSplitPointsOfShortFramesGivesTheSameFrames() throws IOException {
        List<byte[]> expected = frames(MQTT, 0, 1, 5, 40, 130);
        byte[] stream = concat(expected);
        for (int a = 0; a <= stream.length; a++) {
            for (int b = a; b <= stream.length; b++) {
                assertFrames(expected, readAll(framer(SplitInput.cutAt(stream, a, b), MQTT)), "cuts " + a + "," + b);
            }
        }
    }

    @Test
    void severalFramesInOneReadAreSeparateMessagesAndTheBufferStaysSmall() throws IOException {
        List<byte[]> expected = frames(MODBUS, 10, 20, 30, 0, 40);
        SplitInput in = SplitInput.cutAt(concat(expected));
        LengthFramer framer = framer(in, MODBUS);
        assertEquals(0, framer.bufferCapacity(), "no buffer before the first read");
        assertFrames(expected, readAll(framer), "one read");
        assertEquals(1, in.reads(), "one read for all frames");
        assertEquals(DelimiterScanner.IDLE_BUFFER, framer.bufferCapacity());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void everyFieldSizeInBothByteOrders(int size) throws IOException {
        for (ByteOrder order : List.of(BIG_ENDIAN, LITTLE_ENDIAN)) {
            for (int offset : new int[]{0, 3}) {
                Framing.Length field = new Framing.Length(offset, size, order, 0);
                List<byte[]> expected = frames(field, 0, 1, 200, 255);
                byte[] stream = concat(expected);
                String where = "size " + size + " " + order + " offset " + offset;
                assertFrames(expected, readAll(framer(SplitInput.cutAt(stream), field)), where);
                assertFrames(expected, readAll(framer(SplitInput.oneByteReads(stream), field)), where + ", 1-byte reads");
            }
        }
    }

    @Test
    void fieldBytesAreReadInTheConfiguredOrder() throws IOException {
        assertEquals("0005aabbccddee", framedHex("0005aabbccddee", new Framing.Length(0, 2, BIG_ENDIAN, 0)));
        assertEquals("0500aabbccddee", framedHex("0500aabbccddee", new Framing.Length(0, 2, LITTLE_ENDIAN, 0)));
        assertEquals("000003aabbcc", framedHex("000003aabbccddee", new Framing.Length(0, 3, BIG_ENDIAN, 0)));
        assertEquals("0900000000000000aa", framedHex("0900000000000000aabbccdd",
                new Framing.Length(0, 8, LITTLE_ENDIAN, -8)));
    }

    /** The first frame of the hex stream, in hex. */
    private static String framedHex(String stream, Framing.Length field) throws IOException {
        return HexFormat.of().formatHex(framer(SplitInput.cutAt(HexFormat.of().parseHex(stream)), field).nextBody().toArray());
    }

    @Test
    void twoByteLittleEndianLengthThatCountsItselfUsesANegativeAdjust() throws IOException {
        Framing.Length field = new Framing.Length(0, 2, LITTLE_ENDIAN, -2);
        byte[] stream = {7, 0, 'h', 'e', 'l', 'l', 'o', 2, 0, 4, 0, 'a', 'b'};
        List<byte[]> frames = readAll(framer(SplitInput.cutAt(stream), field));
        assertEquals(List.of("\u0007\u0000hello", "\u0002\u0000", "\u0004\u0000ab"),
                frames.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)).toList());
    }

    @Test
    void adjustThatMakesALengthNegativeClosesWithAClearError() {
        Framing.Length field = new Framing.Length(0, 2, LITTLE_ENDIAN, -2);
        FrameFormatException e = assertThrows(FrameFormatException.class,
                () -> framer(SplitInput.cutAt(new byte[]{1, 0, 'x'}), field).nextBody());
        assertEquals("the length field holds 1, and adjust -2 makes that -1 bytes after it (a negative length)",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 127, 128, 16383, 16384, 2097151, 2097152})
    void varintBoundaries(int remaining) throws IOException {
        byte[] frame = frame(MQTT, pattern(remaining, 1));
        int varintBytes = remaining < 128 ? 1 : remaining < 16384 ? 2 : remaining < 2097152 ? 3 : 4;
        assertEquals(1 + varintBytes + remaining, frame.length);
        assertFrames(List.of(frame), readAll(framer(SplitInput.cutAt(frame, 2), MQTT)), "remaining " + remaining);
    }

    @Test
    void theLargestFourByteVarintIsDecodedExactly() {
        byte[] header = {0x30, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}; // 268,435,455
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> framer(SplitInput.cutAt(header), MQTT).nextBody());
        assertEquals("the length field declares a frame of 268435460 bytes; the limit is 16777216 bytes "
                + "(its body was not read)", e.getMessage());
    }

    @Test
    void aVarintWithMoreThanFourBytesIsMalformed() {
        byte[] header = {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        FrameFormatException e = assertThrows(FrameFormatException.class,
                () -> framer(SplitInput.oneByteReads(header), MQTT).nextBody());
        assertEquals("malformed varint length at byte 1: byte 4 of it still has the continuation bit set "
                + "(a varint has at most 4 bytes)", e.getMessage());
    }

    @Test
    void aFrameOfExactlyTheCapPassesAndOneByteMoreIsRefused() throws IOException {
        Framing.Length field = new Framing.Length(0, 4, BIG_ENDIAN, 0);
        byte[] atCap = frame(field, pattern(96, 0));
        LengthFramer framer = new LengthFramer(SplitInput.cutAt(atCap), field, MB, 100, ReadGuard.NONE);
        assertArrayEquals(atCap, framer.nextBody().toArray());
        byte[] over = frame(field, pattern(97, 0));
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> new LengthFramer(SplitInput.cutAt(over), field, MB, 100, ReadGuard.NONE).nextBody());
        assertEquals("max_message_size", e.key());
        assertEquals("the length field declares a frame of 101 bytes; the limit is 100 bytes (its body was not read)",
                e.getMessage());
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItsBodyIsRead() {
        Framing.Length field = new Framing.Length(0, 4, BIG_ENDIAN, 0);
        byte[] header = {0x20, 0, 0, 0}; // 512 MiB follow
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    long at = served[0] + i;
                    b[off + i] = at < header.length ? header[(int) at] : (byte) 'x';
                }
                served[0] += len;
                return len;
            }
        };
        LengthFramer framer = new LengthFramer(endless, field, MB, MB, ReadGuard.NONE);
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, framer::nextBody);
        assertEquals("the length field declares a frame of 536870916 bytes; the limit is 1048576 bytes "
                + "(its body was not read)", e.getMessage());
        assertTrue(served[0] <= DelimiterScanner.IDLE_BUFFER, "read only the first buffer: " + served[0]);
        assertTrue(framer.bufferCapacity() <= DelimiterScanner.IDLE_BUFFER);
    }

    @Test
    void anEightByteLengthAbove2To63IsRefusedWithItsUnsignedValue() {
        Framing.Length field = new Framing.Length(0, 8, BIG_ENDIAN, 0);
        byte[] header = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                (byte) 0xff};
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class,
                () -> framer(SplitInput.cutAt(header), field).nextBody());
        assertEquals("the length field declares a frame of 18446744073709551623 bytes; the limit is 16777216 bytes "
                + "(its body was not read)", e.getMessage());
    }

    @Test
    void aLongFrameArrivesInChunksAndTheBufferShrinksBack() throws IOException {
        int chunk = DelimiterScanner.MIN_CHUNK;
        Framing.Length field = new Framing.Length(0, 4, BIG_ENDIAN, 0);
        byte[] big = frame(field, pattern(3 * chunk + 1000, 5));
        byte[] small = frame(field, pattern(3, 0));
        byte[] stream = concat(List.of(big, small));
        LengthFramer framer = new LengthFramer(SplitInput.cutAt(stream, 500, 70_000), field, 4096, 16 * MB,
                ReadGuard.NONE);
        Body body = framer.nextBody();
        assertEquals(4, body.slices().size(), "chunks of " + chunk);
        assertTrue(body.slices().stream().allMatch(s -> s.length() <= chunk));
        assertArrayEquals(big, body.toArray());
        assertTrue(framer.bufferCapacity() <= DelimiterScanner.IDLE_BUFFER);
        assertArrayEquals(small, framer.nextBody().toArray());
        assertNull(framer.nextBody());
    }

    @Test
    void aLongHeaderGrowsTheBufferOnlyWhileItIsIncomplete() throws IOException {
        Framing.Length field = new Framing.Length(3000, 2, BIG_ENDIAN, 0);
        List<byte[]> expected = frames(field, 10, 0);
        LengthFramer framer = framer(SplitInput.cutAt(concat(expected), 1500), field);
        assertFrames(expected, readAll(framer), "offset 3000");
        assertEquals(DelimiterScanner.IDLE_BUFFER, framer.bufferCapacity());
    }

    @Test
    void theClientClosingMidFrameIsAnErrorAndAtAFrameBoundaryTheEnd() throws IOException {
        byte[] frame = frame(MODBUS, pattern(10, 0));
        LengthFramer clean = framer(SplitInput.cutAt(frame), MODBUS);
        assertArrayEquals(frame, clean.nextBody().toArray());
        assertNull(clean.nextBody());
        byte[] midHeader = java.util.Arrays.copyOf(frame, 5);
        assertEquals("the client closed the connection 5 bytes into a frame, before its length field was complete",
                assertThrows(EOFException.class, () -> framer(SplitInput.cutAt(midHeader), MODBUS).nextBody())
                        .getMessage());
        byte[] midBody = java.util.Arrays.copyOf(frame, 12);
        assertEquals("the client closed the connection 12 bytes into a frame of 16 bytes",
                assertThrows(EOFException.class, () -> framer(SplitInput.cutAt(midBody), MODBUS).nextBody())
                        .getMessage());
    }

    @Test
    void theGuardKnowsWhenAFrameHasStartedArriving() throws IOException {
        byte[] frame = frame(MODBUS, pattern(2000, 0));
        List<Boolean> started = new ArrayList<>();
        LengthFramer framer = new LengthFramer(SplitInput.cutAt(frame, 3, 1000), MODBUS, MB, 16 * MB, started::add,
                IdleWaitTest.busy());
        assertArrayEquals(frame, framer.nextBody().toArray());
        assertEquals(List.of(false, true, true), started, "idle, then mid-header, then mid-body");
    }
}
