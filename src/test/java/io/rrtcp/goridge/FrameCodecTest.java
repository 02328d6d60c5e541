package io.rrtcp.goridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {
    private static final String CONNECTED_CONTEXT = "{\"remote_addr\":\"127.0.0.1:54321\",\"server\":\"server1\","
            + "\"uuid\":\"f47ac10b-58cc-4372-a567-0e02b2c3d479\",\"event\":\"CONNECTED\"}";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Frame read(byte[] bytes) throws IOException {
        return FrameCodec.read(new ByteArrayInputStream(bytes), Integer.MAX_VALUE);
    }

    @Test
    void encodesThePidRequestExactlyAsTheSpecVector() {
        assertArrayEquals(Vectors.load("w01_server_pid_request_pid4242"),
                FrameCodec.encode(Frame.of(Frame.CONTROL | Frame.CODEC_JSON, ascii("{\"pid\":4242}"))));
    }

    @Test
    void encodesTheStopCommandPongAndStreamStopExactly() {
        assertArrayEquals(Vectors.load("w13_server_stop_command"),
                FrameCodec.encode(Frame.of(Frame.CONTROL | Frame.CODEC_JSON, ascii("{\"stop\":true}"))));
        assertArrayEquals(Vectors.load("w14_server_pong"),
                FrameCodec.encode(new Frame(0, Frame.PONG, new int[0], new byte[0])));
        assertArrayEquals(Vectors.load("w15_server_stream_stop"),
                FrameCodec.encode(new Frame(0, Frame.STOP, new int[0], new byte[0])));
    }

    @Test
    void encodesTcpRequestsWithContextLengthAsTheOnlyOption() {
        byte[] context = ascii(CONNECTED_CONTEXT);
        assertArrayEquals(Vectors.load("w03_server_tcp_connected"),
                FrameCodec.encode(0, 0, new int[]{context.length}, context, new byte[0]));
        byte[] dataContext = ascii(CONNECTED_CONTEXT.replace("CONNECTED", "DATA"));
        assertArrayEquals(Vectors.load("w04_server_tcp_data_ping"),
                FrameCodec.encode(0, 0, new int[]{dataContext.length}, dataContext, ascii("ping\r\n")));
        byte[] v6 = ascii(CONNECTED_CONTEXT.replace("127.0.0.1:54321", "[::1]:54321"));
        assertArrayEquals(Vectors.load("w06_server_tcp_connected_ipv6"),
                FrameCodec.encode(0, 0, new int[]{v6.length}, v6, new byte[0]));
    }

    @Test
    void decodesThePhpWorkersPidReply() throws IOException {
        Frame f = read(Vectors.load("w02_worker_pid_reply_pid12345"));
        assertEquals(Frame.CONTROL, f.flags());
        assertEquals(0, f.options().length);
        assertEquals("{\"pid\":12345}", new String(f.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void decodesWorkerRepliesAndReencodesThemByteForByte() throws IOException {
        for (String name : new String[]{"w07_worker_write_hello", "w08_worker_writeclose_bye", "w09_worker_continue",
                "w10_worker_close", "w11_worker_error", "w12_worker_stop_request", "w16_worker_write_echo_ping",
                "w02_worker_pid_reply_pid12345", "r01_php_req_informer_workers_seq1", "g04_reply_informer_workers_seq1"}) {
            byte[] wire = Vectors.load(name);
            Frame f = read(wire);
            assertArrayEquals(wire, FrameCodec.encode(f), name);
        }
    }

    @Test
    void writeReplyCarriesTheVerbAsContext() throws IOException {
        Frame f = read(Vectors.load("w07_worker_write_hello"));
        assertArrayEquals(new int[]{5}, f.options());
        assertEquals("WRITEhello\r\n", new String(f.payload(), StandardCharsets.UTF_8));
        Frame error = read(Vectors.load("w11_worker_error"));
        assertTrue(error.has(Frame.ERROR));
        assertEquals("tcp worker failed", new String(error.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void rpcFramesCarrySequenceAndMethodLength() throws IOException {
        Frame f = read(Vectors.load("r01_php_req_informer_workers_seq1"));
        assertEquals(Frame.CODEC_JSON, f.flags());
        assertArrayEquals(new int[]{1, 16}, f.options());
        assertEquals("informer.Workers\"tcp\"", new String(f.payload(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 11, 12, 13, 255, 256, 257, 4095, 4096, 4097, 65535, 65536, 65537,
            16_777_215, 16_777_216, 16_777_217})
    void roundTripsEveryPayloadSizeBoundary(int size) throws IOException {
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        for (int options = 0; options <= Frame.MAX_OPTIONS; options += 5) {
            int[] opts = new int[options];
            Arrays.setAll(opts, i -> i == 0 ? -1 : i * 1_000_003); // -1 is 0xffffffff: options are unsigned
            Frame original = new Frame(0x40 | 0x08, 0x05, opts, payload);
            byte[] wire = FrameCodec.encode(original);
            assertEquals(12 + 4 * options + size, wire.length);
            assertEquals(original, read(wire));
        }
    }

    @Test
    void readsConsecutiveFramesFromOneStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, Frame.of(0, ascii("one")));
        FrameCodec.write(out, new Frame(0, 0, new int[]{2}, ascii("twothree")));
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals("one", new String(FrameCodec.read(in, 100).payload(), StandardCharsets.UTF_8));
        assertEquals("twothree", new String(FrameCodec.read(in, 100).payload(), StandardCharsets.UTF_8));
        assertNull(FrameCodec.read(in, 100));
    }

    @Test
    void rejectsABadCrcAndSaysWhatItFound() {
        byte[] wire = Vectors.load("w07_worker_write_hello");
        wire[7] ^= 0x01;
        FrameException e = assertThrows(FrameException.class, () -> read(wire));
        assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
    }

    @Test
    void rejectsACorruptedLengthThroughTheCrc() {
        byte[] wire = Vectors.load("w07_worker_write_hello");
        wire[2] = 0x7f; // a flipped length byte is caught because the CRC covers it
        assertTrue(assertThrows(FrameException.class, () -> read(wire)).getMessage().contains("CRC mismatch"));
    }

    @Test
    void rejectsAnotherProtocolVersion() {
        byte[] wire = headerOnly(0x23, 0, 0);
        FrameException e = assertThrows(FrameException.class, () -> read(wire));
        assertTrue(e.getMessage().contains("unsupported protocol version 2"), e.getMessage());
    }

    @Test
    void rejectsHeaderLengthsOutsideThreeToThirteen() {
        for (int hl : new int[]{0, 1, 2, 14, 15}) {
            byte[] wire = headerOnly(0x10 | hl, 0, 0);
            FrameException e = assertThrows(FrameException.class, () -> read(wire), "HL " + hl);
            assertTrue(e.getMessage().contains("header length " + hl), e.getMessage());
        }
    }

    @Test
    void rejectsAPayloadLongerThanTheLimit() {
        byte[] wire = FrameCodec.encode(Frame.of(0, new byte[101]));
        FrameException e = assertThrows(FrameException.class,
                () -> FrameCodec.read(new ByteArrayInputStream(wire), 100));
        assertTrue(e.getMessage().contains("payload of 101 bytes, more than the limit of 100"), e.getMessage());
    }

    @Test
    void reportsTruncatedHeadersOptionsAndPayloads() {
        byte[] wire = Vectors.load("w07_worker_write_hello");
        assertTrue(assertThrows(FrameException.class, () -> read(Arrays.copyOf(wire, 7)))
                .getMessage().contains("after 7 of 12 header bytes"));
        assertTrue(assertThrows(FrameException.class, () -> read(Arrays.copyOf(wire, 14)))
                .getMessage().contains("options"));
        assertTrue(assertThrows(FrameException.class, () -> read(Arrays.copyOf(wire, 20)))
                .getMessage().contains("ended after 4 of 12 payload bytes"));
    }

    @Test
    void showsStrayTextFromAWorkerInsteadOfAFrame() {
        byte[] text = ascii("Could not open input file: missing.php\n");
        FrameException e = assertThrows(FrameException.class, () -> read(text));
        assertTrue(e.getMessage().contains("Could not open input file: missing.php"), e.getMessage());
        byte[] garbage = ascii("this is not a frame at all!!\n");
        FrameException g = assertThrows(FrameException.class, () -> read(garbage));
        assertTrue(g.getMessage().contains("this is not a frame"), g.getMessage());
    }

    private static byte[] headerOnly(int byte0, int flags, int length) {
        byte[] h = new byte[12];
        h[0] = (byte) byte0;
        h[1] = (byte) flags;
        FrameCodec.putIntLE(h, 2, length);
        FrameCodec.putIntLE(h, 6, (int) FrameCodec.crc(h));
        return h;
    }
}
