package io.rrtcp.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each limit fires when it should and not before, the worker gets exactly one CLOSE, and the other clients of the
 * same server do not notice. Durations are short with wide margins; nothing depends on a sleep being exact.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionLimitsTest extends ServerTest {
    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void maxMessageSizeAcceptsAMessageOfExactlyTheCapAndCutsOneByteMore() throws Exception {
        server = TestServer.in(dir).tcp("max_message_size: \"1KB\"").start();
        try (LogCapture log = new LogCapture(); Client ok = server.connect("main"); Client big = server.connect("main")) {
            String almost = "x".repeat(1022);
            ok.send(almost);
            Thread.sleep(100); // 1022 bytes pending without a delimiter: below the cap, nothing happens
            ok.send("\r\n");
            assertEquals(almost + "\r\n", ok.readUntil("\r\n"), "1024 bytes with the delimiter fit the 1KB cap");

            big.send("y".repeat(1025));
            assertEquals("", big.readToEof(), "past the cap without a delimiter: closed");
            String uuid = server.uuidOf(big);
            String line = log.await(Duration.ofSeconds(5), "max_message_size exceeded", "uuid=" + uuid);
            assertTrue(line.contains("remote_addr=" + big.localAddress()), line);
            assertTrue(line.contains("server=main"), line);
            assertTrue(line.contains("raise=tcp.servers.main.max_message_size"), line);
            assertEquals(List.of("CONNECTED", "CLOSE"), server.eventNamesAfterClose(uuid), "one CLOSE, no DATA");
            assertEquals("unaffected\r\n", ok.ask("unaffected\r\n"));
        }
    }

    @Test
    void idleTimeoutClosesASilentClientButNotOneThatTrickles() throws Exception {
        server = TestServer.in(dir).tcp("idle_timeout: 600ms").start();
        try (LogCapture log = new LogCapture(); Client silent = server.connect("main");
             Client trickle = server.connect("main")) {
            assertEquals("hi\r\n", silent.ask("hi\r\n"));
            long start = System.nanoTime();

            for (char c : "slowly".toCharArray()) { // a byte every 200 ms: never idle for 600 ms
                trickle.send(String.valueOf(c));
                Thread.sleep(200);
            }
            trickle.send("\r\n");
            assertEquals("slowly\r\n", trickle.readUntil("\r\n"));

            assertEquals("", silent.readToEof());
            long closedAfter = millisSince(start);
            assertTrue(closedAfter >= 500 && closedAfter < 10_000, "closed after " + closedAfter + " ms");
            String uuid = server.uuidOf(silent);
            log.await(Duration.ofSeconds(5), "idle_timeout exceeded", "uuid=" + uuid, "raise=tcp.servers.main.idle_timeout");
            assertEquals(List.of("CONNECTED", "DATA", "CLOSE"), server.eventNamesAfterClose(uuid));
            assertEquals("still open\r\n", trickle.ask("still open\r\n"));
        }
    }

    @Test
    void readTimeoutCutsAMessageThatNeverCompletesButNotSlowCompleteOnes() throws Exception {
        server = TestServer.in(dir).tcp("read_timeout: 800ms").start();
        try (LogCapture log = new LogCapture(); Client slowloris = server.connect("main");
             Client patient = server.connect("main")) {
            patient.send("ab");
            Thread.sleep(300);
            patient.send("c\r\n");
            assertEquals("abc\r\n", patient.readUntil("\r\n"), "complete within read_timeout");
            Thread.sleep(1000); // idle between messages is not read_timeout's business
            assertEquals("again\r\n", patient.ask("again\r\n"));

            long start = System.nanoTime();
            IOException cut = null;
            try {
                for (int i = 0; i < 100; i++) { // a byte every 100 ms, never the delimiter
                    slowloris.send("z");
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                cut = e; // writing to the closed connection fails sooner or later
            }
            assertEquals("", slowloris.readToEof());
            long closedAfter = millisSince(start);
            assertTrue(closedAfter >= 700, "closed after only " + closedAfter + " ms");
            assertTrue(cut != null || closedAfter < 10_000, "the slow message was cut");
            String uuid = server.uuidOf(slowloris);
            log.await(Duration.ofSeconds(5), "read_timeout exceeded", "uuid=" + uuid);
            assertEquals(List.of("CONNECTED", "CLOSE"), server.eventNamesAfterClose(uuid));
            assertEquals("fine\r\n", patient.ask("fine\r\n"));
        }
    }

    @Test
    void maxConnectionsMakesTheThirdClientWaitUntilOneCloses() throws Exception {
        server = TestServer.in(dir).tcp("max_connections: 2").env("GREETING", "hello\\\\r\\\\n").start();
        try (Client first = server.connect("main"); Client second = server.connect("main")) {
            assertEquals("hello\r\n", first.readUntil("\r\n"));
            assertEquals("hello\r\n", second.readUntil("\r\n"));
            try (Client third = server.connect("main")) { // the kernel accepts it into the backlog
                third.setReadTimeout(700);
                assertThrows(SocketTimeoutException.class, () -> third.readUntil("\r\n"), "not served while 2 are open");
                long start = System.nanoTime();
                first.close();
                third.setReadTimeout(10_000);
                assertEquals("hello\r\n", third.readUntil("\r\n"), "served once a slot is free");
                assertTrue(millisSince(start) < 5_000);
                assertEquals("third\r\n", third.ask("third\r\n"));
            }
            assertEquals("second\r\n", second.ask("second\r\n"));
        }
    }

    @Test
    void writeTimeoutClosesAClientThatDoesNotReadAndFreesTheWorker() throws Exception {
        server = TestServer.in(dir).workers(1).tcp("write_timeout: 500ms").tcp("max_message_size: 64").start();
        try (LogCapture log = new LogCapture(); Client deaf = server.connect("main")) {
            String uuid = server.uuidOf(deaf);
            deaf.send("w".repeat(32 << 20) + "\r\n"); // its 32 MiB echo cannot fit the socket buffers: the write blocks
            log.await(Duration.ofSeconds(15), "write_timeout exceeded", "uuid=" + uuid,
                    "raise=tcp.servers.main.write_timeout");
            assertEquals(List.of("CONNECTED", "DATA", "CLOSE"), server.eventNamesAfterClose(uuid));
            try (Client next = server.connect("main")) {
                assertEquals("served\r\n", next.ask("served\r\n"), "the only worker is free");
                String big = "r".repeat(4 << 20) + "\r\n";
                next.send(big);
                assertEquals(big, next.readUntil("\r\n"), "a client that reads is not cut");
            }
        }
    }
}
