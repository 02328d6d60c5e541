package io.rrtcp.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdleWorkersTest {
    private final IdleWorkers<String> idle = new IdleWorkers<>();

    private CompletableFuture<String> takeAsync(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return idle.take(timeout, s -> true);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
    }

    @Test
    void itemsAreTakenFirstInFirstOut() throws Exception {
        idle.put("a");
        idle.put("b");
        assertEquals("a", idle.take(Duration.ZERO, s -> true));
        assertEquals("b", idle.take(Duration.ZERO, s -> true));
        assertNull(idle.take(Duration.ZERO, s -> true));
    }

    @Test
    void aShortWaiterTimesOutOnItsOwnDeadlineWhileALongerOneBeforeItKeepsWaiting() throws Exception {
        CompletableFuture<String> patient = takeAsync(Duration.ofSeconds(10));
        Thread.sleep(20);
        long start = System.nanoTime();
        assertNull(idle.take(Duration.ofMillis(50), s -> true));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 45 && ms < 2000, "gave up after " + ms + " ms");
        assertTrue(!patient.isDone(), "the earlier, longer waiter still waits");
        idle.put("w");
        assertEquals("w", patient.get(2, TimeUnit.SECONDS));
    }

    @Test
    void aWaiterWhoseDeadlinePassedIsLeftWithoutAnInterruptAndARealInterruptStillEndsAWait() throws Exception {
        assertNull(idle.take(Duration.ofMillis(30), s -> true));
        assertTrue(!Thread.currentThread().isInterrupted(), "the watch's interrupt does not leak into later blocking I/O");
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(idle.take(Duration.ofSeconds(30), s -> true));
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        Thread.sleep(20);
        waiter.interrupt();
        waiter.join(Duration.ofSeconds(5));
        assertTrue(outcome.get() instanceof InterruptedException, "a real interrupt ends the wait: " + outcome.get());
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        CompletableFuture<String> first = takeAsync(Duration.ofSeconds(10));
        Thread.sleep(20);
        CompletableFuture<String> second = takeAsync(Duration.ofSeconds(10));
        Thread.sleep(20);
        idle.put("1");
        assertEquals("1", first.get(2, TimeUnit.SECONDS));
        idle.put("2");
        assertEquals("2", second.get(2, TimeUnit.SECONDS));
    }

    @Test
    void aTombstoneIsDiscardedByTheNextTakerWhoGetsTheItemBehindIt() throws Exception {
        idle.put("retired");
        idle.put("live");
        assertEquals("live", idle.take(Duration.ZERO, s -> !s.equals("retired")));
        assertEquals(0, idle.size());
        assertNull(idle.take(Duration.ZERO, s -> true), "the tombstone's permit went with it");
    }

    @Test
    void closingWakesEveryWaiterWithAnErrorAndReturnsWhatWasIdle() throws Exception {
        List<CompletableFuture<String>> waiters = List.of(takeAsync(Duration.ofSeconds(30)),
                takeAsync(Duration.ofSeconds(30)), takeAsync(Duration.ofSeconds(30)));
        Thread.sleep(20);
        assertEquals(List.of(), idle.close());
        for (CompletableFuture<String> w : waiters) {
            Exception e = assertThrows(Exception.class, () -> w.get(2, TimeUnit.SECONDS));
            assertTrue(e.getCause().getCause() instanceof IdleWorkers.ClosedException, e.toString());
        }
        assertThrows(IdleWorkers.ClosedException.class, () -> idle.take(Duration.ofSeconds(1), s -> true));
    }

    /** A waiter that allows being run by whoever puts a worker back. */
    private static final class Chainable extends IdleWorkers.Waiter<String> {
        @Override
        boolean chainable() {
            return true;
        }
    }

    /** {@code waiter} taking from {@code line} on a virtual thread, once it waits in line. */
    private static CompletableFuture<String> inLine(IdleWorkers<String> line, Chainable waiter) throws Exception {
        CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return line.take(System.nanoTime() + Duration.ofSeconds(10).toNanos(), s -> true, waiter);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (line.waiting() == 0) {
            assertTrue(System.nanoTime() < deadline, "the waiter joined the line");
            Thread.sleep(2);
        }
        return taken;
    }

    @Test
    void aChainableWaiterGivenASlowWorkerIsReturnedToThePutterAndWaitsUntilSettled() throws Exception {
        IdleWorkers<String> line = new IdleWorkers<>(s -> s.startsWith("slow"));
        Chainable waiter = new Chainable();
        CompletableFuture<String> taken = inLine(line, waiter);
        assertSame(waiter, line.put("slow-1"), "the putter gets the waiter to run");
        assertTrue(waiter.runsElsewhere());
        assertEquals("slow-1", waiter.item());
        assertEquals(0, line.size(), "the worker went to the waiter, not to idle");
        Thread.sleep(30);
        assertFalse(taken.isDone(), "it waits for its outcome, not for the worker");
        waiter.settle();
        assertNull(taken.get(2, TimeUnit.SECONDS), "run elsewhere: nothing for it to take itself");
    }

    @Test
    void aChainableWaiterGivenAFastWorkerIsWokenToTakeItItself() throws Exception {
        IdleWorkers<String> line = new IdleWorkers<>(s -> s.startsWith("slow"));
        Chainable waiter = new Chainable();
        CompletableFuture<String> taken = inLine(line, waiter);
        assertSame(waiter, line.put("fast-1"), "a plain hand-over: the waiter is woken and returned");
        assertEquals("fast-1", taken.get(2, TimeUnit.SECONDS));
        assertFalse(waiter.runsElsewhere());
    }

    @Test
    void aRequeuedWaiterIsFirstInLineAgainOrTakesAnIdleWorker() throws Exception {
        IdleWorkers<String> line = new IdleWorkers<>(s -> true);
        Chainable first = new Chainable();
        assertNull(line.requeue(first, s -> true), "none idle: back in line");
        assertEquals(1, line.waiting());
        assertSame(first, line.put("w1"), "the requeued waiter is served first");
        line.put("w2");
        assertEquals("w2", line.requeue(new Chainable(), s -> true), "an idle worker is taken at once");
    }
}
