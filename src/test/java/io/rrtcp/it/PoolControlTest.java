package io.rrtcp.it;

import io.rrtcp.worker.WorkerInfo;
import io.rrtcp.worker.WorkerPool;
import io.rrtcp.worker.WorkerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a later RPC/CLI sees and drives: the worker list, adding and removing workers, and reset. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoolControlTest extends ServerTest {
    private WorkerPool pool() {
        return server.server().pool();
    }

    @Test
    void workersReportPidStateExecsCreatedMemoryAndCpu() throws Exception {
        Instant before = Instant.now();
        server = TestServer.in(dir).workers(2).start();
        try (Client client = server.connect("main")) {
            assertEquals("x\r\n", client.ask("x\r\n"));
        }
        List<WorkerInfo> workers = Await.until(() -> pool().workers(), ws -> ws.stream()
                        .allMatch(w -> w.state() == WorkerState.READY) && ws.stream().mapToLong(WorkerInfo::numExecs).sum() >= 3,
                Duration.ofSeconds(10), "the CLOSE event answered");
        assertEquals(2, workers.size());
        assertTrue(workers.get(0).pid() < workers.get(1).pid(), "sorted by pid");
        for (WorkerInfo w : workers) {
            assertEquals(WorkerState.READY, w.state());
            assertTrue(w.memoryUsage() > 1_000_000, "RSS in bytes: " + w);
            assertTrue(w.cpuPercent() >= 0 && w.cpuPercent() <= 100 * Runtime.getRuntime().availableProcessors(), w.toString());
            assertTrue(!w.created().isBefore(before.minusSeconds(1)), w.toString());
        }
        assertTrue(workers.stream().mapToLong(WorkerInfo::numExecs).sum() >= 3, "CONNECTED, DATA, CLOSE: " + workers);
    }

    @Test
    void addAndRemoveWorkersChangeTheTargetAndTheLastOneStays() throws Exception {
        server = TestServer.in(dir).workers(1).start();
        pool().addWorker();
        pool().addWorker();
        assertEquals(3, pool().workers().size());
        long killed = pool().workers().get(0).pid();
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        Await.until(() -> pool().workers(), ws -> ws.size() == 3 && ws.stream().noneMatch(w -> w.pid() == killed)
                && ws.stream().allMatch(w -> w.state() == WorkerState.READY), Duration.ofSeconds(20), "3 workers again");
        try (LogCapture log = new LogCapture()) {
            pool().removeWorker();
            String line = log.await(Duration.ofSeconds(5), "reason=removed");
            assertTrue(line.contains("stopping worker"), "nothing replaces a removed worker: " + line);
        }
        pool().removeWorker();
        assertEquals(1, pool().workers().size());
        try (LogCapture log = new LogCapture()) {
            pool().removeWorker();
            log.await(Duration.ofSeconds(5), "can't remove the last worker");
        }
        assertEquals(1, pool().workers().size());
        try (Client client = server.connect("main")) {
            assertEquals("ok\r\n", client.ask("ok\r\n"));
        }
    }

    @Test
    void resetReplacesEveryWorkerWhileRequestsInFlightFinishAndNoConnectionDrops() throws Exception {
        server = TestServer.in(dir).workers(2).start();
        Set<Long> old = new HashSet<>(server.workerPids());
        try (Client slow = server.connect("main"); Client other = server.connect("main")) {
            assertEquals("a\r\n", slow.ask("a\r\n"));
            assertEquals("b\r\n", other.ask("b\r\n"));
            slow.send("sleep 1500\r\n");
            Await.until(() -> pool().workers(), ws -> ws.stream().anyMatch(w -> w.state() == WorkerState.WORKING),
                    Duration.ofSeconds(10), "the sleep running");
            CompletableFuture<Void> reset = CompletableFuture.runAsync(() -> {
                try {
                    pool().reset();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertEquals("during\r\n", other.ask("during\r\n"), "a request during the reset waits for a new worker");
            assertEquals("slept 1500\n", slow.readLine(), "the request in flight finishes on its old worker");
            reset.get();
            assertEquals("after\r\n", slow.ask("after\r\n"));
            assertEquals("after\r\n", other.ask("after\r\n"));
        }
        List<Long> now = server.workerPids();
        assertEquals(2, now.size());
        assertTrue(now.stream().noneMatch(old::contains), "every pid changed: " + old + " -> " + now);
        for (long pid : old) {
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "old worker " + pid + " is gone");
        }
    }

    @Test
    void resetUnderLoadDropsNoConnection() throws Exception {
        server = TestServer.in(dir).workers(3).noEventLog().start();
        Set<Long> old = new HashSet<>(server.workerPids());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Integer>> clients = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 20; c++) {
                int id = c;
                clients.add(CompletableFuture.supplyAsync(() -> {
                    int n = 0;
                    try (Client client = server.connect("main")) {
                        while (!stop.get() || n < 5) {
                            String m = (n % 10 == 3 ? "sleep 50" : "c" + id + "-" + n) + "\r\n";
                            String got = client.ask(m);
                            assertEquals(m.startsWith("sleep") ? "slept 50\n" : m, got);
                            answers.incrementAndGet();
                            n++;
                        }
                        return n;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("connection " + id + " dropped after " + n, e);
                    }
                }, threads));
            }
            Await.until(answers::get, n -> n > 100, Duration.ofSeconds(20), "traffic on every connection");
            pool().reset();
            pool().reset();
            stop.set(true);
            for (CompletableFuture<Integer> f : clients) {
                assertTrue(f.get() >= 5);
            }
        }
        List<Long> now = server.workerPids();
        assertEquals(3, now.size());
        assertTrue(now.stream().noneMatch(old::contains), old + " -> " + now);
    }

    @Test
    void aResetWhoseWorkersCannotStartFailsWithTheirStderr() throws Exception {
        Path flag = dir.resolve("broken");
        server = TestServer.in(dir).workers(1).env("CRASH_ON_START_IF", flag.toString()).start();
        java.nio.file.Files.writeString(flag, "x");
        io.rrtcp.worker.WorkerException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.rrtcp.worker.WorkerException.class, () -> pool().reset());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        java.nio.file.Files.delete(flag);
        Await.until(server::workerPids, p -> p.size() == 1, Duration.ofSeconds(20), "the pool recovers once workers start");
        try (Client client = server.connect("main")) {
            assertEquals("back\r\n", client.ask("back\r\n"));
        }
    }

    @Test
    void aResetIsBoundedByResetTimeoutThenBusyOldWorkersAreKilled() throws Exception {
        server = TestServer.in(dir).workers(1).pool("reset_timeout: 1s").start();
        long old = server.workerPids().get(0);
        try (LogCapture log = new LogCapture(); Client stuck = server.connect("main")) {
            assertEquals("a\r\n", stuck.ask("a\r\n"));
            stuck.send("sleep 30000\r\n");
            server.awaitEvents(ev -> ev.stream().anyMatch(e -> e.body().startsWith("sleep 30000")), Duration.ofSeconds(10));
            long start = System.nanoTime();
            pool().reset();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "bounded by reset_timeout");
            log.await(Duration.ofSeconds(5), "reset: worker still busy after reset_timeout, killing it", "pid=" + old);
            assertEquals("", stuck.readToEof(), "the request on the killed worker fails; its connection closes");
        }
        try (Client client = server.connect("main")) {
            assertEquals("fresh\r\n", client.ask("fresh\r\n"));
        }
        assertEquals(1, server.workerPids().size());
        assertTrue(!server.workerPids().contains(old));
    }
}
