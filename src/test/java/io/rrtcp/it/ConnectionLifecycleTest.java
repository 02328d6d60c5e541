package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client and a worker see of one connection's life: events, their context, verbs, exactly one CLOSE. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConnectionLifecycleTest extends ServerTest {
    @Test
    void connectedEventCarriesTheClientAddressAUuidAndNoBody() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            JsonObject ctx = Json.parse(client.ask("ctx\r\n")).asObject();
            String uuid = ctx.getString("uuid", "");
            assertTrue(uuid.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), uuid);
            assertEquals(client.localAddress(), ctx.getString("remote_addr", ""));
            assertEquals("main", ctx.getString("server", ""));
            assertEquals("DATA", ctx.getString("event", ""));
            assertEquals("ctx\r\n", new String(Base64.getDecoder().decode(ctx.getString("body_b64", "")),
                    StandardCharsets.UTF_8), "DATA body keeps the delimiter");
            TestServer.Event connected = server.events(uuid).get(0);
            assertEquals("CONNECTED", connected.event());
            assertEquals(client.localAddress(), connected.remoteAddr());
            assertEquals("", connected.body());
        }
    }

    @Test
    void dataBodyIsExactlyWhatWasSentDelimiterIncluded() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            String message = "héllo wörld \t with\rbare CR\r\n";
            client.send(message);
            assertEquals(message, client.readUntil("\r\n"));
            String uuid = server.uuidOf(client);
            assertEquals(message, server.events(uuid).get(1).body());
        }
    }

    @Test
    void greetingIsWrittenBeforeTheClientSaysAnything() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").env("GREETING", "hello \\\\r\\\\n").start();
        try (Client client = server.connect("main")) {
            assertEquals("hello \r\n", client.readUntil("\r\n"));
        }
    }

    @Test
    void writeCloseWritesThenClosesAndTheWorkerStillGetsClose() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            assertEquals("echo\r\n", client.ask("echo\r\n"));
            client.send("bye\r\n");
            assertEquals("goodbye\r\n", client.readToEof());
            assertEquals(List.of("CONNECTED", "DATA", "DATA", "CLOSE"), server.eventNamesAfterClose(server.uuidOf(client)));
        }
    }

    @Test
    void continueWritesNothingAndKeepsReading() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            client.send("continue\r\n");
            assertEquals("after\r\n", client.ask("after\r\n"), "nothing was written for CONTINUE");
        }
    }

    @Test
    void closeVerbAndUnknownVerbCloseTheConnectionWithOneCloseEvent() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (LogCapture log = new LogCapture()) {
            for (String command : new String[]{"close", "bogus"}) {
                try (Client client = server.connect("main")) {
                    client.send(command + "\r\n");
                    assertEquals("", client.readToEof(), command + " writes nothing");
                    assertEquals(List.of("CONNECTED", "DATA", "CLOSE"), server.eventNamesAfterClose(server.uuidOf(client)));
                }
            }
            log.await(Duration.ofSeconds(5), "unknown verb", "verb=BOGUS");
        }
    }

    @Test
    void clientEofEndsWithOneCloseEventAndTheSocketClosed() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            assertEquals("one\r\n", client.ask("one\r\n"));
            String uuid = server.uuidOf(client);
            client.shutdownOutput();
            assertEquals("", client.readToEof(), "rr-tcp closes its side too (upstream leaves it in CLOSE_WAIT)");
            assertEquals(List.of("CONNECTED", "DATA", "CLOSE"), server.eventNamesAfterClose(uuid));
        }
    }

    @Test
    void bytesLeftWithoutDelimiterAtEofAreALastDataEventBeforeTheOneClose() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            client.send("whole\r\nhalf");
            assertEquals("whole\r\n", client.readUntil("\r\n"));
            client.shutdownOutput();
            assertEquals("half", client.readToEof(), "the leftover is echoed, then the connection closes");
            String uuid = server.uuidOf(client);
            List<TestServer.Event> events = server.awaitEvents(
                    all -> all.stream().anyMatch(e -> e.uuid().equals(uuid) && e.event().equals("CLOSE")),
                    Duration.ofSeconds(10)).stream().filter(e -> e.uuid().equals(uuid)).toList();
            assertEquals(List.of("CONNECTED", "DATA", "DATA", "CLOSE"), events.stream().map(TestServer.Event::event).toList());
            assertEquals("half", events.get(2).body());
        }
    }

    @Test
    void workersThatNeverAnswerCloseStayInStep() throws Exception {
        // NO_CLOSE_REPLY workers follow the official docs ("no response needed on a closed connection"); upstream
        // wedges on them. With one worker, any frame out of step would break every later connection.
        server = TestServer.in(dir).server("main", "\\r\\n").env("NO_CLOSE_REPLY", "1").workers(1).start();
        for (int i = 0; i < 20; i++) {
            try (Client client = server.connect("main")) {
                assertEquals("n" + i + "\r\n", client.ask("n" + i + "\r\n"));
            }
        }
        server.awaitEvents(all -> all.stream().filter(e -> e.event().equals("CLOSE")).count() == 20, Duration.ofSeconds(10));
        try (Client client = server.connect("main")) {
            assertEquals("still fine\r\n", client.ask("still fine\r\n"));
        }
    }

    @Test
    void workersThatAnswerCloseStayInStepToo() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").workers(1).start();
        for (int i = 0; i < 20; i++) {
            try (Client client = server.connect("main")) {
                assertEquals("m" + i + "\r\n", client.ask("m" + i + "\r\n"));
            }
        }
        server.awaitEvents(all -> all.stream().filter(e -> e.event().equals("CLOSE")).count() == 20, Duration.ofSeconds(10));
        try (Client client = server.connect("main")) {
            assertEquals("still fine\r\n", client.ask("still fine\r\n"));
        }
    }

    @Test
    void shutdownClosesOpenConnectionsAndDeliversTheirCloseEvents() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        Client a = server.connect("main");
        Client b = server.connect("main");
        assertEquals("a\r\n", a.ask("a\r\n"));
        assertEquals("b\r\n", b.ask("b\r\n"));
        String ua = server.uuidOf(a);
        String ub = server.uuidOf(b);
        server.close();
        server = null;
        assertEquals("", a.readToEof());
        assertEquals("", b.readToEof());
        List<TestServer.Event> all = TestServer.in(dir).eventsOnly();
        assertEquals(1, all.stream().filter(e -> e.uuid().equals(ua) && e.event().equals("CLOSE")).count());
        assertEquals(1, all.stream().filter(e -> e.uuid().equals(ub) && e.event().equals("CLOSE")).count());
        a.close();
        b.close();
    }
}
