package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's rules with fake workers and a fake clock: no processes, no real waiting beyond milliseconds. */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolTest {
    private final FakeTime time = new FakeTime();
    /** Every worker the factory made, in order. */
    private final List<FakeWorker> made = new CopyOnWriteArrayList<>();
    private WorkerPool pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private static Payload request(String body) {
        return new Payload("{}".getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    }

    private static PoolOptions options(int workers, long maxJobs, Duration allocate, Duration destroy, long maxQueue,
                                       Optional<SupervisorOptions> supervisor) {
        return new PoolOptions(workers, maxJobs, allocate, destroy, Duration.ofSeconds(5), maxQueue, false, supervisor);
    }

    private WorkerPool start(PoolOptions options, Function<Integer, FakeWorker.Behaviour> behaviourOfNth) throws Exception {
        pool = new WorkerPool(options, () -> {
            FakeWorker w = new FakeWorker(time, behaviourOfNth.apply(made.size()));
            made.add(w);
            return w;
        }, time);
        pool.start();
        return pool;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(2);
        }
    }

    /** A behaviour that holds every request until the latch opens. */
    private static FakeWorker.Behaviour blockUntil(CountDownLatch open) {
        return (self, request) -> {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Reply.Answer(request);
        };
    }

    /** The first request anywhere blocks until the latch opens; the rest are echoed. */
    private static FakeWorker.Behaviour firstRequestBlocksUntil(CountDownLatch open) {
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        FakeWorker.Behaviour block = blockUntil(open);
        return (self, request) -> first.compareAndSet(true, false) ? block.exec(self, request) : new Reply.Answer(request);
    }

    private FakeWorker busyOne() throws InterruptedException {
        await(() -> made.stream().anyMatch(w -> w.state() == WorkerState.WORKING), "a worker busy");
        return made.stream().filter(w -> w.state() == WorkerState.WORKING).findFirst().orElseThrow();
    }

    private CompletableFuture<Payload> execAsync(String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return pool.exec(request(body));
            } catch (WorkerException e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void aPendingRemoveWorkerDoesNotHoldUpAWaitingRequestsAllocateTimeout() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        start(options(2, 0, Duration.ofMillis(100), Duration.ofSeconds(10), 0, Optional.empty()), n -> blockUntil(open));
        CompletableFuture<Payload> a = execAsync("a");
        CompletableFuture<Payload> b = execAsync("b");
        await(() -> made.stream().allMatch(w -> w.state() == WorkerState.WORKING), "both workers busy");
        Thread remove = Thread.ofVirtual().start(() -> {
            try {
                pool.removeWorker();
            } catch (WorkerException ignored) {
                // not what this test checks
            }
        });
        Thread.sleep(20);
        long start = System.nanoTime();
        WorkerException e = assertThrows(WorkerException.class, () -> pool.exec(request("queued")));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(WorkerException.Kind.NO_FREE_WORKERS, e.kind());
        assertTrue(waitedMs >= 90 && waitedMs < 3000, "refused after " + waitedMs + " ms; allocate_timeout=100ms");
        assertTrue(remove.isAlive(), "the removal still waits for its destroy_timeout");
        open.countDown();
        assertEquals("a", new String(a.get().body(), StandardCharsets.UTF_8));
        assertEquals("b", new String(b.get().body(), StandardCharsets.UTF_8));
        remove.join();
        assertEquals(1, pool.workers().size(), "one worker removed once one was free");
    }

    @Test
    void aRequestAWorkerNeverReadRunsOnAnotherWorkerAndTheLeaverIsReplaced() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean firstRequest = new java.util.concurrent.atomic.AtomicBoolean(true);
        start(options(2, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Optional.empty()),
                n -> (self, r) -> {
                    if (firstRequest.compareAndSet(true, false)) {
                        throw self.exitBeforeReading();
                    }
                    return new Reply.Answer(r);
                });
        assertEquals("x", new String(pool.exec(request("x")).body(), StandardCharsets.UTF_8));
        FakeWorker first = made.stream().filter(w -> !w.isAlive()).findFirst().orElseThrow();
        assertEquals(1, first.numExecs());
        assertTrue(made.stream().anyMatch(w -> w.isAlive() && w.served() == 1), "another worker answered it");
        time.runDue(); // the replacement starts with no delay: one leaver is no streak
        assertEquals(3, made.size(), "a replacement was started");
        assertEquals(2, pool.workers().size());
        assertFalse(pool.workers().stream().anyMatch(w -> w.pid() == first.pid()));
    }

    @Test
    void aRequestThatReachedACrashingWorkerFailsAndIsNotRepeated() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(options(2, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Optional.empty()),
                n -> (self, r) -> {
                    calls.incrementAndGet();
                    throw self.crash();
                });
        WorkerException e = assertThrows(WorkerException.class, () -> pool.exec(request("x")));
        assertEquals(WorkerException.Kind.BROKEN, e.kind());
        assertEquals(1, calls.get(), "delivered: not run again");
    }

    @Test
    void workersThatKeepDyingBeforeTheyAnswerAreRestartedWithAGrowingPause() throws Exception {
        start(options(1, 0, Duration.ofMillis(200), Duration.ofSeconds(1), 0, Optional.empty()),
                n -> (self, r) -> { throw self.crash(); });
        List<Duration> restartDelays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int before = time.scheduled.size();
            assertThrows(WorkerException.class, () -> pool.exec(request("x")));
            restartDelays.add(time.scheduled.get(before));
            time.advance(Duration.ofSeconds(10)); // the replacement starts
            assertEquals(i + 2, made.size());
        }
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800)), restartDelays);
    }

    @Test
    void aReplacementThatCannotStartIsRetriedWithDoublingPausesUntilItStarts() throws Exception {
        AtomicInteger failures = new AtomicInteger(3);
        pool = new WorkerPool(options(1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Optional.empty()), () -> {
            if (!made.isEmpty() && failures.getAndDecrement() > 0) {
                throw new WorkerException(WorkerException.Kind.START_FAILED, 0, false, "no php");
            }
            FakeWorker w = new FakeWorker(time, FakeWorker.ECHO);
            made.add(w);
            return w;
        }, time);
        pool.start();
        pool.exec(request("x")); // max_jobs 1: the worker is replaced after it
        int before = time.scheduled.size();
        for (int i = 0; i < 4; i++) {
            time.advance(Duration.ofSeconds(10));
        }
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400)),
                time.scheduled.subList(before, time.scheduled.size()));
        assertEquals(2, made.size(), "started on the fourth attempt");
        assertEquals("y", new String(pool.exec(request("y")).body(), StandardCharsets.UTF_8));
    }

    @Test
    void afterMaxJobsAWorkerIsStoppedAndReplaced() throws Exception {
        start(options(1, 2, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Optional.empty()), n -> FakeWorker.ECHO);
        pool.exec(request("1"));
        pool.exec(request("2"));
        await(() -> made.get(0).stopped, "the first worker stopped");
        time.runDue();
        assertEquals(2, made.size());
        assertEquals(WorkerState.READY, pool.workers().get(0).state());
        assertEquals(made.get(1).pid(), pool.workers().get(0).pid());
    }

    @Test
    void maxQueueSizeCountsEveryRequestInsideThePoolExactly() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        start(options(1, 0, Duration.ofSeconds(5), Duration.ofSeconds(1), 2, Optional.empty()), n -> blockUntil(open));
        CompletableFuture<Payload> running = execAsync("running");
        await(() -> made.get(0).state() == WorkerState.WORKING, "the worker busy");
        CompletableFuture<Payload> waiting = execAsync("waiting");
        Thread.sleep(20);
        WorkerException e = assertThrows(WorkerException.class, () -> pool.exec(request("third")));
        assertEquals(WorkerException.Kind.QUEUE_FULL, e.kind());
        open.countDown();
        running.get();
        waiting.get();
        assertEquals("later", new String(pool.exec(request("later")).body(), StandardCharsets.UTF_8),
                "the counter went back down");
    }

    @Test
    void closingFailsEveryWaitingRequestAtOnceWithAClearError() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        start(options(1, 0, Duration.ofSeconds(30), Duration.ofMillis(200), 0, Optional.empty()), n -> blockUntil(open));
        execAsync("running");
        await(() -> made.get(0).state() == WorkerState.WORKING, "the worker busy");
        List<CompletableFuture<Payload>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(execAsync("w" + i));
        }
        Thread.sleep(20);
        Thread closer = Thread.ofVirtual().start(pool::close);
        for (CompletableFuture<Payload> w : waiting) {
            Exception e = assertThrows(Exception.class, () -> w.get(2, TimeUnit.SECONDS));
            assertTrue(e.getCause().getCause() instanceof WorkerException we
                    && we.kind() == WorkerException.Kind.POOL_CLOSED, e.toString());
        }
        open.countDown();
        closer.join();
    }

    @Test
    void resetReplacesIdleWorkersAtOnceAndBusyOnesAfterTheirRequest() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        FakeWorker.Behaviour behaviour = firstRequestBlocksUntil(open);
        start(options(2, 0, Duration.ofSeconds(5), Duration.ofSeconds(1), 0, Optional.empty()), n -> behaviour);
        CompletableFuture<Payload> busy = execAsync("busy");
        FakeWorker busyWorker = busyOne();
        FakeWorker idleWorker = made.stream().filter(w -> w != busyWorker).findFirst().orElseThrow();
        Thread reset = Thread.ofVirtual().start(() -> {
            try {
                pool.reset();
            } catch (WorkerException e) {
                throw new RuntimeException(e);
            }
        });
        await(() -> idleWorker.stopped, "the idle worker stopped at once");
        assertFalse(busyWorker.stopped, "the busy one finishes first");
        open.countDown();
        assertEquals("busy", new String(busy.get().body(), StandardCharsets.UTF_8));
        reset.join();
        assertTrue(busyWorker.stopped);
        assertEquals(4, made.size());
        assertEquals(List.of(made.get(2).pid(), made.get(3).pid()).stream().sorted().toList(),
                pool.workers().stream().map(WorkerInfo::pid).sorted().toList());
    }

    @Test
    void theSupervisorReplacesAnIdleWorkerPastTtlAtOnceAndABusyOneAfterItsRequest() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        SupervisorOptions limits = new SupervisorOptions(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ZERO,
                Duration.ZERO, 0);
        FakeWorker.Behaviour behaviour = firstRequestBlocksUntil(open);
        start(options(2, 0, Duration.ofSeconds(5), Duration.ofSeconds(1), 0, Optional.of(limits)), n -> behaviour);
        CompletableFuture<Payload> busy = execAsync("busy");
        FakeWorker busyWorker = busyOne();
        FakeWorker idleWorker = made.stream().filter(w -> w != busyWorker).findFirst().orElseThrow();
        time.advance(Duration.ofSeconds(9));
        assertEquals(2, made.size(), "nothing over ttl yet");
        time.advance(Duration.ofSeconds(1));
        await(() -> idleWorker.stopped, "the idle worker past ttl stopped");
        assertFalse(busyWorker.stopped, "the busy one is never stopped mid-request");
        open.countDown();
        busy.get();
        await(() -> busyWorker.stopped, "the busy one leaves after its request");
        time.runDue();
        assertEquals(4, made.size(), "both replaced");
    }

    @Test
    void theSupervisorReplacesAWorkerIdleLongerThanIdleTtlOrOverMaxWorkerMemory() throws Exception {
        SupervisorOptions limits = new SupervisorOptions(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(5),
                Duration.ZERO, 100 * 1_048_576L);
        start(options(2, 0, Duration.ofSeconds(5), Duration.ofSeconds(1), 0, Optional.of(limits)), n -> FakeWorker.ECHO);
        pool.exec(request("x")); // idle_ttl counts from the last request: only a worker that served one
        FakeWorker served = made.stream().filter(w -> w.numExecs() == 1).findFirst().orElseThrow();
        FakeWorker other = made.stream().filter(w -> w != served).findFirst().orElseThrow();
        time.advance(Duration.ofSeconds(4));
        assertFalse(served.stopped);
        time.advance(Duration.ofSeconds(1));
        await(() -> served.stopped, "idle past idle_ttl");
        assertFalse(other.stopped, "never served: idle_ttl does not apply");
        other.rss = 200 * 1_048_576L;
        time.advance(Duration.ofSeconds(1));
        await(() -> other.stopped, "over max_worker_memory");
    }

    @Test
    void aBusyPoolOfSlowWorkersRunsTheWaitingRequestsInOrderOnAChainThread() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        FakeWorker.Behaviour block = firstRequestBlocksUntil(open);
        start(options(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(10), 0, Optional.empty()), n -> (self, r) -> {
            ran.add(new String(r.body(), StandardCharsets.UTF_8) + "@" + Thread.currentThread().getName());
            return block.exec(self, r);
        });
        made.get(0).slow = true;
        CompletableFuture<Payload> first = execAsync("first");
        busyOne();
        List<CompletableFuture<Payload>> queued = new java.util.ArrayList<>();
        for (String body : List.of("q1", "q2", "q3")) {
            queued.add(execAsync(body));
            await(() -> pool.queueSize() == queued.size() + 1, body + " inside the pool");
            Thread.sleep(5); // in line in this order
        }
        open.countDown();
        assertEquals("first", new String(first.get(5, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            assertEquals("q" + (i + 1), new String(queued.get(i).get(5, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8));
        }
        assertEquals(4, ran.size(), ran.toString());
        for (String r : ran.subList(1, 4)) {
            assertTrue(r.contains("@rr-tcp-chain-"), "a waiting request ran on a chain thread: " + ran);
        }
        assertEquals(List.of("first", "q1", "q2", "q3"), ran.stream().map(r -> r.substring(0, r.indexOf('@'))).toList());
        assertEquals(0, pool.queueSize());
    }

    @Test
    void aChainWhoseWorkerReachesMaxJobsGoesOnOnTheReplacement() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        start(options(1, 2, Duration.ofSeconds(10), Duration.ofSeconds(10), 0, Optional.empty()), n -> {
            FakeWorker.Behaviour b = n == 0 ? firstRequestBlocksUntil(open) : FakeWorker.ECHO;
            return (self, r) -> {
                self.slow = true;
                return b.exec(self, r);
            };
        });
        CompletableFuture<Payload> first = execAsync("first");
        busyOne();
        List<CompletableFuture<Payload>> queued = new java.util.ArrayList<>();
        for (String body : List.of("q1", "q2", "q3", "q4")) {
            queued.add(execAsync(body));
        }
        await(() -> pool.queueSize() == 5, "all inside the pool");
        open.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<Payload> q : queued) {
            await(() -> {
                time.runDue(); // the replacement starts when its (fake) pause is over
                return q.isDone();
            }, "a queued request answered");
            q.get();
        }
        assertEquals(3, made.size(), "max_jobs=2 for 5 requests: three workers");
        assertEquals(2, made.get(0).numExecs());
    }

    @Test
    void closingFailsRequestsStillInLineBehindAChain() throws Exception {
        CountDownLatch open = new CountDownLatch(1);
        start(options(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(10), 0, Optional.empty()), n -> blockUntil(open));
        made.get(0).slow = true;
        CompletableFuture<Payload> running = execAsync("running");
        busyOne();
        CompletableFuture<Payload> waiting = execAsync("waiting");
        await(() -> pool.queueSize() == 2, "the second request in line");
        Thread closer = Thread.ofVirtual().start(pool::close);
        Exception e = assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause().getCause() instanceof WorkerException we && we.kind() == WorkerException.Kind.POOL_CLOSED,
                e.toString());
        open.countDown();
        closer.join(Duration.ofSeconds(10));
        running.handle((p, t) -> null).get(5, TimeUnit.SECONDS);
    }
}
