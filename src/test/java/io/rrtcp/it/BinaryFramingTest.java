package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import io.rrtcp.cli.CliRun;
import io.rrtcp.rpc.RpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** framing: length and framing: raw with real php workers (tcp-worker.php echoes every DATA body unchanged). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BinaryFramingTest extends ServerTest {
    /** Modbus TCP's shape: 4 bytes, a 2-byte big-endian length of the rest, the rest. */
    private static final String MBAP = "framing: length\nlength: {offset: 4, size: 2, order: big}";

    private static byte[] mbap(byte[] rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0, 7, 0, 0, (byte) (rest.length >> 8), (byte) rest.length});
        out.writeBytes(rest);
        return out.toByteArray();
    }

    private static byte[] mbap(String rest) {
        return mbap(rest.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void pipelinedFramesInOneWriteAreSeparateDataEventsWithTheirHeaders() throws Exception {
        server = TestServer.in(dir).framedServer("dev", MBAP).start();
        try (Client client = server.connect("dev")) {
            byte[] a = mbap("first\r\n");
            byte[] b = mbap("");
            byte[] c = mbap("third");
            client.send(concat(a, b, c));
            assertArrayEquals(concat(a, b, c), client.readBytes(a.length + b.length + c.length));
            assertEquals(List.of(new String(a, StandardCharsets.US_ASCII), new String(b, StandardCharsets.US_ASCII),
                    new String(c, StandardCharsets.US_ASCII)), server.dataBodies(server.uuidOf(client), 3));
        }
    }

    @Test
    void aFrameSplitInsideItsHeaderAndBodyIsOneDataEvent() throws Exception {
        server = TestServer.in(dir).framedServer("dev", MBAP).start();
        try (Client client = server.connect("dev")) {
            byte[] frame = mbap("split across four writes");
            for (int[] part : new int[][]{{0, 2}, {2, 5}, {5, 12}, {12, frame.length}}) {
                client.send(Arrays.copyOfRange(frame, part[0], part[1]));
                Thread.sleep(40);
            }
            assertArrayEquals(frame, client.readBytes(frame.length));
            assertEquals(List.of(new String(frame, StandardCharsets.US_ASCII)), server.dataBodies(server.uuidOf(client), 1));
        }
    }

    @Test
    void binaryBodiesWithEveryByteValueComeBackByteExact() throws Exception {
        server = TestServer.in(dir).framedServer("bin", "framing: length\nlength: {size: 4, order: little, adjust: -4}")
                .start();
        try (Client client = server.connect("bin")) {
            // a length of 0x0a0d is "\r\n" in little-endian: a delimiter scanner would cut the header there
            byte[] frame = new byte[0x0a0d];
            for (int i = 4; i < frame.length; i++) {
                frame[i] = (byte) i;
            }
            frame[0] = 0x0d;
            frame[1] = 0x0a;
            byte[] tiny = {4, 0, 0, 0};
            client.send(concat(frame, tiny, frame));
            assertArrayEquals(concat(frame, tiny, frame), client.readBytes(2 * frame.length + tiny.length));
        }
    }

    @Test
    void aLongFrameArrivesWhole() throws Exception {
        server = TestServer.in(dir).framedServer("big", "framing: length\nlength: {size: 4}").start();
        try (Client client = server.connect("big")) {
            byte[] body = new byte[4 << 20];
            Arrays.fill(body, (byte) 'b');
            byte[] frame = concat(new byte[]{0, 0x40, 0, 0}, body);
            client.send(frame);
            assertArrayEquals(frame, client.readBytes(frame.length));
        }
    }

    @Test
    void anOversizedFrameIsRefusedWithoutItsBodyBeingReadOrAllocated() throws Exception {
        server = TestServer.in(dir).framedServer("dev", "framing: length\nlength: {size: 4}\nmax_message_size: \"1MB\"")
                .start();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertNotEquals(-1, threads.getTotalThreadAllocatedBytes(), "this JVM counts allocated bytes");
        try (LogCapture log = new LogCapture(); Client fits = server.connect("dev"); Client huge = server.connect("dev")) {
            // the meter sees the server's allocations: a frame just under the cap costs at least its size
            byte[] almost = concat(new byte[]{0, 0x0f, (byte) 0xff, 0}, new byte[0x0fff00]);
            long before = threads.getTotalThreadAllocatedBytes();
            fits.send(almost);
            assertArrayEquals(almost, fits.readBytes(almost.length));
            long forAlmost = threads.getTotalThreadAllocatedBytes() - before;
            assertTrue(forAlmost >= almost.length, "allocated for a 1 MB frame: " + forAlmost);

            huge.setReadTimeout(10_000);
            String uuid = server.uuidOf(huge);
            before = threads.getTotalThreadAllocatedBytes();
            huge.send(concat(new byte[]{0x20, 0, 0, 0}, new byte[64 * 1024])); // declares 512 MiB, sends 64 KiB
            assertClosedByServer(huge);
            long forHuge = threads.getTotalThreadAllocatedBytes() - before;
            assertTrue(forHuge < 32 << 20, "allocated while refusing a 512 MiB frame: " + forHuge);
            String line = log.await(Duration.ofSeconds(5), "max_message_size exceeded", "uuid=" + uuid);
            assertTrue(line.contains("declares a frame of 536870916 bytes; the limit is 1048576 bytes"), line);
            assertTrue(line.contains("raise=tcp.servers.dev.max_message_size"), line);
            assertEquals(List.of("CONNECTED", "CLOSE"), server.eventNamesAfterClose(uuid), "no DATA");
        }
    }

    @Test
    void readTimeoutBoundsAFrameWhoseBodyTricklesAndIdleTimeoutASilentClient() throws Exception {
        server = TestServer.in(dir).framedServer("dev", MBAP + "\nread_timeout: 800ms\nidle_timeout: 3s").start();
        try (LogCapture log = new LogCapture(); Client slow = server.connect("dev"); Client silent = server.connect("dev")) {
            String uuid = server.uuidOf(slow);
            byte[] frame = mbap("x".repeat(100));
            slow.send(Arrays.copyOf(frame, 10)); // the header and 4 of 100 bytes; the rest never comes in time
            assertClosedByServer(slow);
            log.await(Duration.ofSeconds(5), "read_timeout exceeded", "uuid=" + uuid, "raise=tcp.servers.dev.read_timeout");
            assertEquals(List.of("CONNECTED", "CLOSE"), server.eventNamesAfterClose(uuid));
            String silentUuid = server.uuidOf(silent);
            assertClosedByServer(silent);
            log.await(Duration.ofSeconds(5), "idle_timeout exceeded", "uuid=" + silentUuid);
        }
    }

    /** EOF, or a reset when the server closed with our bytes unread. */
    private static void assertClosedByServer(Client client) throws IOException {
        try {
            assertEquals("", client.readToEof());
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
    }

    @Test
    void aMalformedVarintClosesTheConnectionWithALogLineAndOthersGoOn() throws Exception {
        server = TestServer.in(dir).framedServer("mqtt", "framing: length\nlength: {offset: 1, size: varint}").start();
        try (LogCapture log = new LogCapture(); Client bad = server.connect("mqtt"); Client good = server.connect("mqtt")) {
            String uuid = server.uuidOf(bad);
            bad.send(new byte[]{0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
            assertClosedByServer(bad);
            String line = log.await(Duration.ofSeconds(5), "closing the connection: malformed frame", "uuid=" + uuid);
            assertTrue(line.contains("a varint has at most 4 bytes"), line);
            assertTrue(line.contains("framing=\"length offset=1 size=varint adjust=0\""), line);
            assertEquals(List.of("CONNECTED", "CLOSE"), server.eventNamesAfterClose(uuid));
            byte[] ping = {(byte) 0xc0, 0};
            good.send(ping);
            assertArrayEquals(ping, good.readBytes(2));
        }
    }

    @Test
    void rawFramingMakesEveryReadOneDataEvent() throws Exception {
        server = TestServer.in(dir).framedServer("raw", "framing: raw").start();
        try (Client client = server.connect("raw")) {
            // each write waits for its echo, so each reaches the server as its own read
            for (String part : List.of("no", "delimiter\r\n", "needed")) {
                client.send(part);
                assertArrayEquals(part.getBytes(StandardCharsets.US_ASCII), client.readBytes(part.length()));
            }
            assertEquals(List.of("no", "delimiter\r\n", "needed"), server.dataBodies(server.uuidOf(client), 3));
        }
    }

    @Test
    void tcpListAndConnectionsShowEachServersFraming() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").framedServer("dev", MBAP).rpc("tcp://127.0.0.1:0").start();
        try (Client line = server.connect("main"); Client dev = server.connect("dev");
             RpcClient rpc = RpcClient.connect(server.rpc())) {
            server.uuidOf(line);
            String devUuid = server.uuidOf(dev);
            JsonObject reply = rpc.call("tcp.List", Json.TRUE).asObject();
            assertEquals("{\"dev\":{\"framing\":\"length offset=4 size=2 order=big adjust=0\"},"
                    + "\"main\":{\"framing\":\"delimiter \\\"\\\\r\\\\n\\\"\"}}", reply.get("servers").toString());
            JsonObject devConnection = reply.get("connections").asArray().values().stream().map(v -> v.asObject())
                    .filter(o -> o.getString("uuid", "").equals(devUuid)).findFirst().orElseThrow();
            assertEquals("length", devConnection.getString("framing", ""));

            CliRun cli = CliRun.of("connections", "--rpc", server.rpc());
            assertEquals(0, cli.code(), cli.err());
            assertTrue(cli.out().contains("| FRAMING "), cli.out());
            assertTrue(cli.out().contains("| length offset=4 size=2 order=big adjust=0 |"), cli.out());
            assertTrue(cli.out().contains("| delimiter \"\\r\\n\""), cli.out());
        }
    }
}
