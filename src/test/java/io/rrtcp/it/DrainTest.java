package io.rrtcp.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tcp.shutdown_grace}: stopping closes the listeners at once, open connections go on until they end or the
 * grace runs out, and every one still gets exactly one CLOSE event.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DrainTest extends ServerTest {

    private Thread stopInBackground() {
        TestServer stopping = server;
        server = null; // stopped here, not by the base class
        return Thread.ofPlatform().start(stopping::close);
    }

    private void awaitDraining(TestServer s) throws Exception {
        Await.until(() -> s.server().draining(), d -> d, Duration.ofSeconds(5), "the drain to start");
    }

    @Test
    void openConnectionsAreServedUntilTheyLeaveWhileNewOnesAreRefused() throws Exception {
        TestServer s = server = TestServer.in(dir).tcp("shutdown_grace: 20s").start();
        int port = s.port("main");
        try (LogCapture log = new LogCapture(); Client staying = s.connect("main")) {
            assertEquals("before\r\n", staying.ask("before\r\n"));
            String uuid = s.uuidOf(staying);
            Thread stopper = stopInBackground();
            awaitDraining(s);
            log.await(Duration.ofSeconds(5), "draining: listeners closed", "connections=1", "shutdown_grace=20s");
            assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000),
                    "a new client is refused from the first moment of the drain");
            assertEquals("during\r\n", staying.ask("during\r\n"), "the open dialogue goes on");
            assertTrue(stopper.isAlive(), "the stop waits for the open connection");
            assertEquals("goodbye\r\n", staying.ask("bye\r\n"));
            stopper.join(Duration.ofSeconds(15));
            assertFalse(stopper.isAlive(), "the stop ends soon after the last client left, long before 20s");
            log.await(Duration.ofSeconds(1), "drain complete: every connection ended by itself");
            assertEquals(List.of("CONNECTED", "DATA", "DATA", "DATA", "CLOSE"),
                    TestServer.readEvents(dir.resolve("events.jsonl")).stream().filter(e -> e.uuid().equals(uuid))
                            .map(TestServer.Event::event).toList());
        }
    }

    @Test
    void whenTheGraceRunsOutTheRestAreClosedWithTheirCloseEvents() throws Exception {
        TestServer s = server = TestServer.in(dir).tcp("shutdown_grace: 400ms").start();
        try (LogCapture log = new LogCapture(); Client lingering = s.connect("main")) {
            assertEquals("hi\r\n", lingering.ask("hi\r\n"));
            String uuid = s.uuidOf(lingering);
            Thread stopper = stopInBackground();
            assertEquals("", lingering.readToEof(), "closed by the server once the grace ran out");
            stopper.join(Duration.ofSeconds(15));
            assertFalse(stopper.isAlive());
            log.await(Duration.ofSeconds(1), "shutdown_grace ran out: closing the remaining connections", "connections=1");
            assertEquals(List.of("CONNECTED", "DATA", "CLOSE"),
                    TestServer.readEvents(dir.resolve("events.jsonl")).stream().filter(e -> e.uuid().equals(uuid))
                            .map(TestServer.Event::event).toList());
        }
    }
}
