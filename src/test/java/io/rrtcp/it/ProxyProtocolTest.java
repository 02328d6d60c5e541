package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static io.rrtcp.tcp.ProxyHeaders.ascii;
import static io.rrtcp.tcp.ProxyHeaders.concat;
import static io.rrtcp.tcp.ProxyHeaders.ipv4Block;
import static io.rrtcp.tcp.ProxyHeaders.unixPath;
import static io.rrtcp.tcp.ProxyHeaders.v2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with {@code proxy_protocol} on, over real loopback sockets, with headers written by hand: events carry the
 * client from the header and the balancer as {@code proxy_addr}; anything else is closed without an event.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProxyProtocolTest extends ServerTest {

    private TestServer start() throws Exception {
        return TestServer.in(dir).script("context-worker.php").server("main", "\\n")
                .tcp("proxy_protocol: any").tcp("trusted_proxies: [\"127.0.0.1/32\"]")
                .tcp("proxy_header_timeout: 700ms").start();
    }

    /** A connection from {@code localIp} (any 127.x address works on Linux loopback). */
    private Socket connect(String localIp) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localIp, 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.port("main")), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("EOF after \"" + line + "\"");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Sends {@code header} and "ctx\n" in one write and returns the context the worker saw. */
    private JsonObject contextAfter(byte[] header, Socket s) throws IOException {
        s.getOutputStream().write(concat(header, ascii("ctx\n")));
        return Json.parse(readLine(s.getInputStream())).asObject();
    }

    /** The server closed the connection: EOF, or a reset when it left unread bytes behind. */
    private static void assertClosedByServer(Socket s) throws IOException {
        try {
            assertEquals(-1, s.getInputStream().read(), "the server sent something instead of closing");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection", e);
        } catch (SocketException reset) {
            // closed with our bytes unread: that is a close too
        }
    }

    private List<JsonObject> loggedContexts() throws IOException {
        java.nio.file.Path log = dir.resolve("events.jsonl");
        return !Files.exists(log) ? List.of()
                : Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(l -> Json.parse(l).asObject()).toList();
    }

    @Test
    void eventsNameTheClientFromTheHeaderAndTheBalancerAsProxyAddr() throws Exception {
        server = start();
        try (Socket s = connect("127.0.0.1")) {
            byte[] header = v2(1, 0x11, ipv4Block(new int[]{203, 0, 113, 7}, 40001, new int[]{192, 0, 2, 1}, 7777));
            JsonObject ctx = contextAfter(header, s);
            assertEquals("203.0.113.7:40001", ctx.getString("remote_addr", null));
            assertEquals("127.0.0.1:" + s.getLocalPort(), ctx.getString("proxy_addr", null));
            assertEquals("DATA", ctx.getString("event", null));
            s.getOutputStream().write(ascii("bye\n"));
            assertEquals("bye", readLine(s.getInputStream()));
            String uuid = ctx.getString("uuid", null);
            List<JsonObject> events = Await.until(this::loggedContexts,
                    all -> all.stream().anyMatch(e -> e.getString("event", "").equals("CLOSE")), Duration.ofSeconds(10),
                    "the CLOSE event").stream().filter(e -> e.getString("uuid", "").equals(uuid)).toList();
            assertEquals(List.of("CONNECTED", "DATA", "DATA", "CLOSE"),
                    events.stream().map(e -> e.getString("event", "")).toList());
            events.forEach(e -> assertEquals("203.0.113.7:40001", e.getString("remote_addr", null), e.toString()));
            events.forEach(e -> assertEquals("127.0.0.1:" + s.getLocalPort(), e.getString("proxy_addr", null)));
        }
    }

    @Test
    void v1Ipv6V2UnixAndUnknownHeadersAllReachTheWorker() throws Exception {
        server = start();
        try (Socket v1 = connect("127.0.0.1"); Socket unix = connect("127.0.0.1"); Socket unknown = connect("127.0.0.1")) {
            assertEquals("[2001:db8::5]:1234",
                    contextAfter(ascii("PROXY TCP6 2001:db8::5 2001:db8::1 1234 7777\r\n"), v1).getString("remote_addr", null));
            assertEquals("/run/app/client.sock", contextAfter(v2(1, 0x31, unixPath("/run/app/client.sock"),
                    unixPath("/run/haproxy.sock")), unix).getString("remote_addr", null));
            JsonObject noAddress = contextAfter(ascii("PROXY UNKNOWN\r\n"), unknown);
            String balancer = "127.0.0.1:" + unknown.getLocalPort();
            assertEquals(balancer, noAddress.getString("remote_addr", null), "UNKNOWN: the real peer, as the spec says");
            assertEquals(balancer, noAddress.getString("proxy_addr", null));
        }
    }

    @Test
    void healthChecksStrangersAndBadOrLateHeadersAreClosedWithoutAnEvent() throws Exception {
        server = start();
        try (LogCapture log = new LogCapture()) {
            try (Socket check = connect("127.0.0.1")) {
                check.getOutputStream().write(v2(0, 0x00));
                assertClosedByServer(check);
            }
            try (Socket stranger = connect("127.0.0.2")) {
                stranger.getOutputStream().write(concat(ascii("PROXY TCP4 10.0.0.1 10.0.0.2 1 2\r\n"), ascii("ctx\n")));
                assertClosedByServer(stranger);
                log.await(Duration.ofSeconds(5), "closing the connection: its source is not in trusted_proxies",
                        "remote_addr=127.0.0.2:" + stranger.getLocalPort());
            }
            try (Socket plain = connect("127.0.0.1")) {
                plain.getOutputStream().write(ascii("ctx\n"));
                assertClosedByServer(plain);
                log.await(Duration.ofSeconds(5), "closing the connection: bad PROXY header",
                        "the connection starts with byte 0x63", "proxy_addr=127.0.0.1:" + plain.getLocalPort());
            }
            try (Socket slow = connect("127.0.0.1")) {
                long start = System.nanoTime();
                slow.getOutputStream().write(ascii("PROXY TCP4 10.0.0.1 "));
                assertClosedByServer(slow);
                long ms = (System.nanoTime() - start) / 1_000_000;
                // the server's clock started at accept, a moment before ours: allow for that, not for closing early
                assertTrue(ms >= 500, "closed after " + ms + " ms, well before proxy_header_timeout (700ms)");
                log.await(Duration.ofSeconds(5), "no complete PROXY header within proxy_header_timeout",
                        "proxy_header_timeout=700ms");
            }
            try (Socket good = connect("127.0.0.1")) {
                assertEquals("198.51.100.9:5", contextAfter(ascii("PROXY TCP4 198.51.100.9 10.0.0.2 5 7\r\n"), good)
                        .getString("remote_addr", null), "the server goes on serving");
            }
            List<JsonObject> events = loggedContexts();
            assertTrue(events.stream().allMatch(e -> e.getString("remote_addr", "").equals("198.51.100.9:5")),
                    "only the good connection reached a worker: " + events);
        }
    }

    @Test
    void withoutTheProtocolTheContextHasNoProxyAddr() throws Exception {
        server = TestServer.in(dir).script("context-worker.php").server("main", "\\n").start();
        try (Socket s = connect("127.0.0.1")) {
            s.getOutputStream().write(ascii("ctx\n"));
            JsonObject ctx = Json.parse(readLine(s.getInputStream())).asObject();
            assertEquals("127.0.0.1:" + s.getLocalPort(), ctx.getString("remote_addr", null));
            assertNull(ctx.get("proxy_addr"));
        }
    }
}
