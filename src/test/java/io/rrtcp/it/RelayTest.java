package io.rrtcp.it;

import io.rrtcp.worker.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.relay: pipes, tcp and unix sockets with real php workers that connect back and are routed by pid. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RelayTest extends ServerTest {
    private String relay(String kind) {
        return switch (kind) {
            case "tcp" -> "tcp://127.0.0.1:0";
            case "unix" -> "unix://" + dir.resolve("rr.sock");
            default -> "pipes";
        };
    }

    @ParameterizedTest(name = "relay {0}")
    @ValueSource(strings = {"pipes", "tcp", "unix"})
    void workersServeOverEveryRelayAndAreReplacedWhenKilled(String kind) throws Exception {
        server = TestServer.in(dir).workers(2).serverLine("relay: " + relay(kind)).start();
        try (Client a = server.connect("main"); Client b = server.connect("main")) {
            String told = a.ask("relay\r\n").trim();
            if (kind.equals("tcp")) {
                assertTrue(told.matches("tcp://127\\.0\\.0\\.1:[1-9][0-9]*"), "RR_RELAY has the real port: " + told);
            } else {
                assertEquals(relay(kind), told);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("a" + i + "\r\n", a.ask("a" + i + "\r\n"));
                assertEquals("b" + i + "\r\n", b.ask("b" + i + "\r\n"));
            }
            long victim = server.workerPids().get(0);
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            Await.until(() -> server.server().pool().workers(), ws -> ws.size() == 2
                            && ws.stream().noneMatch(w -> w.pid() == victim)
                            && ws.stream().allMatch(w -> w.state() == WorkerState.READY),
                    Duration.ofSeconds(20), "a replacement worker over " + kind);
            assertEquals("after\r\n", a.ask("after\r\n"));
            assertEquals("after\r\n", b.ask("after\r\n"));
        }
        if (kind.equals("unix")) {
            server.close();
            server = null;
            assertFalse(Files.exists(dir.resolve("rr.sock")), "the socket file is removed at shutdown");
        }
    }

    @Test
    void aStaleUnixSocketFileIsReplaced() throws Exception {
        Files.writeString(dir.resolve("rr.sock"), "stale");
        server = TestServer.in(dir).workers(1).serverLine("relay: " + relay("unix")).start();
        try (Client a = server.connect("main")) {
            assertEquals("x\r\n", a.ask("x\r\n"));
        }
    }

    @Test
    void garbageOverASocketRelayKillsThatWorkerOnly() throws Exception {
        server = TestServer.in(dir).workers(2).serverLine("relay: " + relay("tcp")).start();
        try (LogCapture log = new LogCapture(); Client bad = server.connect("main"); Client good = server.connect("main")) {
            assertEquals("ok\r\n", good.ask("ok\r\n"));
            bad.send("badcrc\r\n");
            assertEquals("", bad.readToEof());
            log.await(Duration.ofSeconds(10), "worker killed and replaced", "header CRC mismatch");
            assertEquals("still\r\n", good.ask("still\r\n"));
        }
        List<Long> pids = Await.until(server::workerPids, p -> p.size() == 2, Duration.ofSeconds(20), "2 workers");
        assertEquals(2, pids.size());
    }

    @Test
    void aWorkerThatNeverConnectsFailsStartAfterRelayTimeout() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.rrtcp.worker.WorkerException.class,
                () -> TestServer.in(dir).workers(1).env("HANG_ON_START", "1")
                        .serverLine("relay: " + relay("tcp")).serverLine("relay_timeout: 1s").start());
        assertTrue(e.getMessage().contains("relay_timeout=1000ms"), e.getMessage());
        assertTrue(e.getMessage().contains("hanging before the handshake"), e.getMessage());
    }

    @ParameterizedTest(name = "relay {0}")
    @ValueSource(strings = {"pipes", "tcp", "unix"})
    void workersExitingOnTheirOwnCostNoRequestOnAnyRelay(String kind) throws Exception {
        server = TestServer.in(dir).workers(2).env("EXIT_AFTER", "2").serverLine("relay: " + relay(kind)).start();
        try (Client a = server.connect("main"); Client b = server.connect("main")) {
            for (int i = 0; i < 15; i++) {
                assertEquals("a" + i + "\r\n", a.ask("a" + i + "\r\n"));
                assertEquals("b" + i + "\r\n", b.ask("b" + i + "\r\n"));
            }
        }
        Await.until(server::workerPids, p -> p.size() == 2, Duration.ofSeconds(20), "2 workers");
    }
}
