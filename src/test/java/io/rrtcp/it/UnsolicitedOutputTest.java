package io.rrtcp.it;

import io.rrtcp.worker.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker that writes a frame nobody asked for (issue 10, item 1): its extra output must never reach a client. With
 * one worker, A's double reply used to go to B, and B's echo to C.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnsolicitedOutputTest extends ServerTest {

    /** An echo server on "\n" with one worker (the probe's setup); returns that worker's pid. */
    private long startWithOneWorker() throws Exception {
        server = TestServer.in(dir).server("main", "\\n").workers(1).start();
        return onlyWorker();
    }

    /** Waits until the worker has answered the CONNECTED events of {@code n} clients and is idle again. */
    private void awaitConnectedAndIdle(int n) throws Exception {
        server.awaitEvents(ev -> ev.stream().filter(e -> e.event().equals("CONNECTED")).count() == n,
                Duration.ofSeconds(10));
        Await.until(() -> server.server().pool().workers(), ws -> ws.get(0).state() == WorkerState.READY,
                Duration.ofSeconds(10), "the worker idle");
    }

    private long onlyWorker() {
        return server.workerPids().get(0);
    }

    private void awaitFreshReadyWorker(long old) throws Exception {
        Await.until(() -> server.server().pool().workers(), ws -> ws.size() == 1 && ws.get(0).pid() != old
                && ws.get(0).state() == WorkerState.READY, Duration.ofSeconds(20), "a fresh ready worker");
    }

    /** A line, or "" when the server closed the connection instead: the only two answers a client may get. */
    private static String lineOrEof(Client client) throws IOException {
        try {
            return client.readLine();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("EOF after ")) {
                return "";
            }
            throw e;
        }
    }

    /**
     * The probe's scenario. The worker writes both frames at once: a second frame written in a separate write can, on
     * a loaded machine, reach the pipe only after the next request was sent, and goridge has no request id to tell
     * it from that request's reply (the limit the README states); the idle case is the next test.
     */
    @Test
    void aSecondReplyToOneRequestNeverReachesAnotherClient() throws Exception {
        long buggy = startWithOneWorker();
        try (LogCapture log = new LogCapture(); Client a = server.connect("main"); Client b = server.connect("main");
             Client c = server.connect("main")) {
            a.send("double secret-of-A\n");
            String toA = lineOrEof(a);
            assertTrue(toA.equals("double secret-of-A\n") || toA.isEmpty(), "A gets its echo or is closed: " + toA);
            b.send("secret-of-B\n");
            assertEquals("secret-of-B\n", b.readLine(), "B gets its own echo, not A's extra frame");
            c.send("hello-from-C\n");
            assertEquals("hello-from-C\n", c.readLine(), "C gets its own echo, not B's");
            String line = log.await(Duration.ofSeconds(10), "pid=" + buggy, "nobody asked for");
            assertTrue(line.contains("WARN"), line);
            awaitFreshReadyWorker(buggy);
            if (!toA.isEmpty()) {
                a.send("again\n");
                assertEquals("again\n", a.readLine(), "A's connection is not harmed when its request had ended");
            }
            assertFalse(server.workerPids().contains(buggy), "the worker that wrote unasked is gone");
        }
    }

    /**
     * The extra frame 50 ms after the reply, with no request sent: the idle watch kills the worker. On a machine so
     * loaded that the server finishes reading the reply more than 50 ms late, the look right after the reply sees the
     * extra frame first and A's request fails instead; either way nothing reaches B or C.
     */
    @Test
    void anIdleWorkerThatWritesIsKilledBeforeAnyRequestReachesIt() throws Exception {
        long buggy = startWithOneWorker();
        try (LogCapture log = new LogCapture(); Client a = server.connect("main"); Client b = server.connect("main");
             Client c = server.connect("main")) {
            awaitConnectedAndIdle(3); // no other event may take the worker inside the 50 ms
            a.send("doublelater 50 secret-of-A\n");
            String toA = lineOrEof(a);
            String line = log.await(Duration.ofSeconds(10), "pid=" + buggy, "nobody asked for");
            assertTrue(line.contains("WARN"), line);
            if (toA.isEmpty()) {
                assertTrue(line.contains("right after its reply"), line);
            } else {
                assertEquals("doublelater 50 secret-of-A\n", toA, "A's own reply comes first");
                assertTrue(line.contains("while idle"), line);
            }
            awaitFreshReadyWorker(buggy);
            assertEquals("secret-of-B\n", b.ask("secret-of-B\n"));
            assertEquals("hello-from-C\n", c.ask("hello-from-C\n"));
            if (!toA.isEmpty()) {
                assertEquals("still-A\n", a.ask("still-A\n"), "A's request had ended well: its connection goes on");
            }
        }
    }

    @Test
    void onASocketRelayAnIdleWorkerThatWritesIsKilledToo() throws Exception {
        server = TestServer.in(dir).server("main", "\\n").workers(1).serverLine("relay: tcp://127.0.0.1:0").start();
        long buggy = onlyWorker();
        try (LogCapture log = new LogCapture(); Client a = server.connect("main"); Client b = server.connect("main")) {
            awaitConnectedAndIdle(2);
            assertEquals("doublelater 500 over-tcp\n", a.ask("doublelater 500 over-tcp\n"));
            log.await(Duration.ofSeconds(10), "pid=" + buggy, "nobody asked for", "idle");
            awaitFreshReadyWorker(buggy);
            assertEquals("secret-of-B\n", b.ask("secret-of-B\n"));
        }
    }

    @Test
    void anExtraFrameWaitingWhenTheNextRequestIsSentSendsThatRequestElsewhere() throws Exception {
        // the idle watch is off (a long period), so only the look before each request can catch the extra frame
        System.setProperty("rrtcp.worker.idleWatchMillis", "600000");
        try {
            server = TestServer.in(dir).server("main", "\\n").workers(1).start();
        } finally {
            System.clearProperty("rrtcp.worker.idleWatchMillis");
        }
        long buggy = onlyWorker();
        try (LogCapture log = new LogCapture(); Client a = server.connect("main"); Client b = server.connect("main")) {
            awaitConnectedAndIdle(2);
            assertEquals("doublelater 300 x\n", a.ask("doublelater 300 x\n"));
            Thread.sleep(1500); // the extra frame is written 300 ms after the reply; let it arrive
            assertEquals("secret-of-B\n", b.ask("secret-of-B\n"), "B's request went to a fresh worker");
            String line = log.await(Duration.ofSeconds(10), "pid=" + buggy, "nobody asked for");
            assertNotEquals(-1, line.indexOf("before a request was sent"), line);
            List<TestServer.Event> toBuggy = server.events().stream()
                    .filter(e -> e.pid() == buggy && e.body().startsWith("secret-of-B")).toList();
            assertEquals(List.of(), toBuggy, "B's message never reached the worker that wrote unasked");
        }
    }
}
