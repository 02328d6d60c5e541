package io.rrtcp.it;

import io.rrtcp.worker.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streamed replies, which TCP refuses: every PING is answered and a stalled stream is cut for the right reason. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamReplyTest extends ServerTest {

    @Test
    void aPingOnTheFirstFrameOfAStreamGetsItsPong() throws Exception {
        server = TestServer.in(dir).workers(1).pool("stream_timeout: 20s").start();
        long pid = server.workerPids().get(0);
        try (LogCapture log = new LogCapture(); Client streamer = server.connect("main")) {
            long start = System.nanoTime();
            streamer.send("pingfirst\r\n");
            assertEquals("", streamer.readToEof(), "streaming is refused: the connection is closed");
            log.await(Duration.ofSeconds(10), "streaming is not supported", "pid=" + pid);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 15_000, "answered without waiting for stream_timeout (took " + tookMs + " ms)");
            assertFalse(log.lines().stream().anyMatch(l -> l.contains("expected a PONG")), "the worker got its PONG");
        }
        assertEquals(List.of(pid), server.workerPids(), "the worker that pinged is alive and serves on");
        Await.until(() -> server.server().pool().workers(), ws -> ws.get(0).state() == WorkerState.READY,
                Duration.ofSeconds(5), "the worker ready");
        try (Client next = server.connect("main")) {
            assertEquals("ok\r\n", next.ask("ok\r\n"));
        }
    }

    @Test
    void aStalledStreamIsLoggedAsStreamTimeoutNotAsEof() throws Exception {
        server = TestServer.in(dir).workers(1).pool("stream_timeout: 500ms").start();
        long pid = server.workerPids().get(0);
        try (LogCapture log = new LogCapture(); Client streamer = server.connect("main")) {
            streamer.send("streamhang\r\n");
            assertEquals("", streamer.readToEof());
            String line = log.await(Duration.ofSeconds(10), "pid=" + pid, "stream_timeout", "raise=tcp.pool.stream_timeout");
            assertTrue(line.contains("WARN"), line);
            String killed = log.await(Duration.ofSeconds(10), "worker killed and replaced", "pid=" + pid);
            assertTrue(killed.contains("stream_timeout=500ms"), killed);
            assertFalse(log.lines().stream().anyMatch(l -> l.contains("closed its stdout (EOF)")),
                    "a worker killed at stream_timeout did not close its stdout itself");
        }
    }
}
