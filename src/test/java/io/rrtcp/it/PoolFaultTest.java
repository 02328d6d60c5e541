package io.rrtcp.it;

import io.rrtcp.worker.WorkerException;
import io.rrtcp.worker.WorkerInfo;
import io.rrtcp.worker.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The faults of issue 3 with real php workers: each leaves the pool at num_workers and other clients unaffected.
 * (SIGKILL while idle / serving, garbage and all-busy-allocate_timeout are in {@link WorkerFaultTest}.)
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolFaultTest extends ServerTest {
    private List<Long> awaitPoolOf(int n, Set<Long> without) throws Exception {
        return Await.until(server::workerPids, pids -> pids.size() == n && pids.stream().noneMatch(without::contains)
                        && server.server().pool().workers().stream().allMatch(w -> w.state() == WorkerState.READY),
                Duration.ofSeconds(20), "pool back at " + n + " ready workers without " + without);
    }

    private long pidServing(String body) throws Exception {
        return server.awaitEvents(ev -> ev.stream().anyMatch(e -> e.body().startsWith(body)), Duration.ofSeconds(10))
                .stream().filter(e -> e.body().startsWith(body)).findFirst().orElseThrow().pid();
    }

    @Test
    void aRequestPastExecTtlKillsTheWorkerClosesItsClientAndTheWorkerIsReplaced() throws Exception {
        server = TestServer.in(dir).workers(2).pool("supervisor:").pool("  exec_ttl: 700ms").start();
        try (LogCapture log = new LogCapture(); Client hung = server.connect("main"); Client other = server.connect("main")) {
            assertEquals("a\r\n", hung.ask("a\r\n"));
            assertEquals("b\r\n", other.ask("b\r\n"));
            long start = System.nanoTime();
            hung.send("sleep 20000\r\n");
            long pid = pidServing("sleep 20000");
            assertEquals("", hung.readToEof(), "its client is closed, nothing written");
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "closed long before the sleep ended");
            String line = log.await(Duration.ofSeconds(10), "worker killed and replaced", "pid=" + pid, "ExecTTL");
            assertTrue(line.contains("state=undefined"), "upstream's name for execTTLReached: " + line);
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung worker was killed");
            assertEquals("unaffected\r\n", other.ask("unaffected\r\n"));
            awaitPoolOf(2, Set.of(pid));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "badcrc     | header CRC mismatch",
            "badversion | unsupported protocol version 2",
            "truncated  | truncated frame",
            "garbage    | invalid frame",
    })
    void aBadFrameGetsTheWorkerKilledAndReplacedWithPidAndReasonLogged(String command, String reason) throws Exception {
        server = TestServer.in(dir).workers(2).start();
        try (LogCapture log = new LogCapture(); Client bad = server.connect("main"); Client good = server.connect("main")) {
            assertEquals("ok\r\n", good.ask("ok\r\n"));
            bad.send(command + "\r\n");
            long pid = pidServing(command);
            assertEquals("", bad.readToEof(), "the client of the broken reply is closed");
            log.await(Duration.ofSeconds(10), "worker killed and replaced", "pid=" + pid, reason);
            assertEquals("fine\r\n", good.ask("fine\r\n"));
            awaitPoolOf(2, Set.of(pid));
        }
    }

    @Test
    void workersThatExitOnTheirOwnAfterNRequestsCostNoRequest() throws Exception {
        server = TestServer.in(dir).workers(2).env("EXIT_AFTER", "3").start();
        Set<Long> seen = new HashSet<>();
        List<CompletableFuture<Void>> clients = new java.util.ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 4; c++) {
                int id = c;
                clients.add(CompletableFuture.runAsync(() -> {
                    try (Client client = server.connect("main")) {
                        for (int i = 0; i < 15; i++) {
                            String m = "c" + id + "-" + i + "\r\n";
                            assertEquals(m, client.ask(m), "request " + i + " of client " + id);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, threads));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
        }
        server.events().forEach(e -> seen.add(e.pid()));
        assertTrue(seen.size() >= 10, "60 DATA events at 3 per worker need many workers: " + seen.size());
        awaitPoolOf(2, Set.of());
    }

    @Test
    void aWorkerLeakingPastMaxWorkerMemoryIsReplacedAfterItsRequest() throws Exception {
        server = TestServer.in(dir).workers(2)
                .pool("supervisor:").pool("  watch_tick: 100ms").pool("  max_worker_memory: 64").start();
        try (LogCapture log = new LogCapture(); Client leaky = server.connect("main"); Client other = server.connect("main")) {
            assertEquals("ok\r\n", other.ask("ok\r\n"));
            assertEquals("leaked 100\n", leaky.ask("leak 100\r\n"), "the request that leaks is answered in full");
            long pid = pidServing("leak 100");
            String line = log.await(Duration.ofSeconds(10), "replacing worker", "pid=" + pid, "max_worker_memory reached");
            assertTrue(line.contains("state=maxMemoryReached"), line);
            assertEquals("after\r\n", leaky.ask("after\r\n"), "its client goes on, on another worker");
            assertEquals("after\r\n", other.ask("after\r\n"));
            awaitPoolOf(2, Set.of(pid));
        }
    }

    @Test
    void aBusyWorkerPastItsLimitFinishesItsRequestFirst() throws Exception {
        server = TestServer.in(dir).workers(1)
                .pool("supervisor:").pool("  watch_tick: 100ms").pool("  ttl: 500ms").start();
        long first = server.workerPids().get(0);
        try (LogCapture log = new LogCapture(); Client client = server.connect("main")) {
            assertEquals("slept 1500\n", client.ask("sleep 1500\r\n"), "never stopped mid-request");
            log.await(Duration.ofSeconds(10), "replacing worker", "pid=" + first, "ttl reached", "state=ttlReached");
            assertEquals("next\r\n", client.ask("next\r\n"));
        }
        Await.until(server::workerPids, p -> p.size() == 1 && !p.contains(first), Duration.ofSeconds(10), "a new worker");
    }

    @Test
    void idleTtlReplacesWorkersThatServedAndThenSatIdle() throws Exception {
        server = TestServer.in(dir).workers(2)
                .pool("supervisor:").pool("  watch_tick: 100ms").pool("  idle_ttl: 400ms").start();
        try (LogCapture log = new LogCapture(); Client client = server.connect("main")) {
            assertEquals("x\r\n", client.ask("x\r\n"));
            long pid = pidServing("x");
            log.await(Duration.ofSeconds(10), "replacing worker", "pid=" + pid, "idle_ttl reached", "state=idleTTLReached");
            assertEquals("y\r\n", client.ask("y\r\n"));
        }
        Await.until(server::workerPids, p -> p.size() == 2, Duration.ofSeconds(10), "2 workers");
    }

    @Test
    void withMaxQueueSizeReachedARequestFailsAtOnce() throws Exception {
        server = TestServer.in(dir).workers(1).pool("max_queue_size: 1").pool("allocate_timeout: 30s").start();
        try (LogCapture log = new LogCapture(); Client busy = server.connect("main")) {
            assertEquals("warm\r\n", busy.ask("warm\r\n"));
            busy.send("sleep 2000\r\n");
            pidServing("sleep 2000");
            long start = System.nanoTime();
            try (Client refused = server.connect("main")) {
                assertEquals("", refused.readToEof());
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 1500, "refused at once, not after allocate_timeout: " + ms + " ms");
            log.await(Duration.ofSeconds(5), "max queue size reached");
            assertEquals("slept 2000\n", busy.readLine());
        }
    }

    @Test
    void aWorkerThatNeverAnswersTheHandshakeFailsStartWithinAllocateTimeout() {
        long start = System.nanoTime();
        WorkerException e = assertThrows(WorkerException.class, () -> TestServer.in(dir).workers(2)
                .env("HANG_ON_START", "1").pool("allocate_timeout: 1s").start());
        assertEquals(WorkerException.Kind.START_FAILED, e.kind());
        assertTrue(e.getMessage().contains("did not answer the pid handshake within allocate_timeout=1000ms"), e.getMessage());
        assertTrue(e.getMessage().contains("hanging before the handshake"), "its stderr: " + e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "fails fast, no restart loop");
        assertFalse(ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false), "the hung process is killed (P12)");
    }

    @Test
    void aWorkerWithASyntaxErrorFailsStartWithThePhpMessage() {
        WorkerException e = assertThrows(WorkerException.class,
                () -> TestServer.in(dir).workers(1).script("syntax-error.php").start());
        assertTrue(e.getMessage().contains("Parse error"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with code 255 before answering the pid handshake"), e.getMessage());
    }

    @Test
    void workersThatKeepDyingAreRestartedWithABackOffThatTheLogAnnounces() throws Exception {
        server = TestServer.in(dir).workers(1).env("DIE_ON_REQUEST", "1").start();
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 4; i++) {
                try (Client client = server.connect("main")) {
                    assertEquals("", client.readToEof(), "each worker dies on the event");
                }
            }
            String line = log.await(Duration.ofSeconds(20), "restart backs off", "deaths_in_a_row=");
            assertTrue(line.contains("delay="), line);
        }
        Await.until(server::workerPids, p -> p.size() == 1, Duration.ofSeconds(20), "the pool keeps its one worker");
    }

    @Test
    void debugModeStartsAFreshWorkerPerRequest() throws Exception {
        server = TestServer.in(dir).workers(2).pool("debug: true").start();
        assertEquals(List.of(), server.server().pool().workers(), "debug mode lists no workers, as upstream");
        Set<String> pids = new HashSet<>();
        try (Client client = server.connect("main")) {
            for (int i = 0; i < 3; i++) {
                pids.add(client.ask("pid\r\n").trim());
            }
        }
        assertEquals(3, pids.size(), "a new worker each time: " + pids);
        for (String pid : pids) {
            Await.until(() -> ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false),
                    alive -> !alive, Duration.ofSeconds(10), "debug worker " + pid + " stopped after its request");
        }
    }

    @Test
    void shutdownStopsIdleWorkersAtOnceAndLetsTheBusyOneFinish() throws Exception {
        server = TestServer.in(dir).workers(2).start();
        try (Client slow = server.connect("main"); Client other = server.connect("main")) {
            assertEquals("a\r\n", slow.ask("a\r\n"));
            assertEquals("b\r\n", other.ask("b\r\n"));
            slow.send("sleep 1500\r\n");
            long busy = pidServing("sleep 1500");
            long idle = server.workerPids().stream().filter(p -> p != busy).findFirst().orElseThrow();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> server.server().pool().close());
            Await.until(() -> ProcessHandle.of(idle).map(ProcessHandle::isAlive).orElse(false), alive -> !alive,
                    Duration.ofSeconds(5), "the idle worker stopped by the stop command");
            assertTrue(ProcessHandle.of(busy).map(ProcessHandle::isAlive).orElse(false), "the busy one still works");
            assertEquals("slept 1500\n", slow.readLine(), "its request finishes");
            closing.get();
            assertFalse(ProcessHandle.of(busy).map(ProcessHandle::isAlive).orElse(false), "then it is stopped too");
        }
    }

    @Test
    void shutdownKillsAWorkerStillBusyAfterDestroyTimeout() throws Exception {
        server = TestServer.in(dir).workers(1).pool("destroy_timeout: 1s").start();
        try (LogCapture log = new LogCapture(); Client slow = server.connect("main")) {
            assertEquals("a\r\n", slow.ask("a\r\n"));
            slow.send("sleep 30000\r\n");
            long busy = pidServing("sleep 30000");
            long start = System.nanoTime();
            server.server().pool().close();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "bounded by destroy_timeout");
            log.await(Duration.ofSeconds(5), "worker still busy after destroy_timeout, killing it", "pid=" + busy);
            assertFalse(ProcessHandle.of(busy).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void workerInfoOfADeadWorkerNeverBreaksTheList() throws Exception {
        server = TestServer.in(dir).workers(3).start();
        long victim = server.workerPids().get(1);
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        for (int i = 0; i < 20; i++) {
            List<WorkerInfo> list = server.server().pool().workers();
            assertTrue(list.size() >= 2, list.toString());
        }
        awaitPoolOf(3, Set.of(victim));
    }

    @Test
    void aStreamedReplyIsRefusedClearlyAndTheWorkerStays() throws Exception {
        server = TestServer.in(dir).workers(1).start();
        long pid = server.workerPids().get(0);
        try (LogCapture log = new LogCapture(); Client streamer = server.connect("main")) {
            streamer.send("stream 7\r\n");
            assertEquals("", streamer.readToEof(), "streaming is refused: the connection is closed");
            log.await(Duration.ofSeconds(5), "streaming is not supported", "pid=" + pid);
        }
        try (Client next = server.connect("main")) {
            assertEquals("ok\r\n", next.ask("ok\r\n"));
        }
        assertEquals(List.of(pid), server.workerPids(), "the stream was drained; the worker serves on");
    }

    @Test
    void aStreamThatNeverEndsIsCutAtStreamTimeout() throws Exception {
        server = TestServer.in(dir).workers(1).pool("stream_timeout: 500ms").start();
        long pid = server.workerPids().get(0);
        try (LogCapture log = new LogCapture(); Client streamer = server.connect("main")) {
            streamer.send("streamhang\r\n");
            assertEquals("", streamer.readToEof());
            log.await(Duration.ofSeconds(10), "worker killed and replaced", "pid=" + pid);
        }
        awaitPoolOf(1, Set.of(pid));
    }

    @Test
    void aRequestWhoseWorkersKeepQuittingWithoutAnAnswerIsNotRetriedForever() throws Exception {
        server = TestServer.in(dir).workers(1).env("QUIT_ON_REQUEST", "1").start();
        try (LogCapture log = new LogCapture(); Client client = server.connect("main")) {
            assertEquals("", client.readToEof(), "after num_workers + 3 tries the connection is closed");
            log.await(Duration.ofSeconds(20), "gave up after 4 fresh workers left without answering");
        }
    }
}
