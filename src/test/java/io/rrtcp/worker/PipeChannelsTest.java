package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Worker pipes as poller channels ({@link PipeChannels}), with real php workers: the build's test JVM has the
 * --add-opens they need (surefire's argLine), as rr-tcp's jar has them in its manifest.
 */
@Timeout(60)
class PipeChannelsTest {
    private static final Path WORKER = Path.of("test-workers/tcp-worker.php").toAbsolutePath();
    private static final byte[] DATA_CONTEXT = ("{\"remote_addr\":\"127.0.0.1:50000\",\"server\":\"main\","
            + "\"uuid\":\"f47ac10b-58cc-4372-a567-0e02b2c3d479\",\"event\":\"DATA\"}").getBytes(StandardCharsets.UTF_8);

    private static WorkerSpec spec(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("RR_MODE", "tcp");
        all.put("RR_RELAY", "pipes");
        return new WorkerSpec(List.of("php", WORKER.toString()), all, WORKER.getParent(), Duration.ofSeconds(20),
                Duration.ofSeconds(5), WorkerSpec.DEFAULT_MAX_PAYLOAD);
    }

    private static String exec(WorkerProcess worker, String body) throws WorkerException {
        Payload reply = worker.exec(new Payload(DATA_CONTEXT, (body + "\n").getBytes(StandardCharsets.UTF_8)));
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theTestJvmServesWorkerPipesFromThePoller() throws Exception {
        assertNull(PipeChannels.unavailable());
        WorkerProcess worker = WorkerProcess.start(spec(Map.of()));
        try {
            assertTrue(worker.pipesOnPoller());
            // from a virtual thread, as a connection does: the reads park on the poller instead of holding a carrier
            List<String> answers = new ArrayList<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        answers.add(exec(worker, "m" + i));
                    }
                } catch (WorkerException e) {
                    answers.add("failed: " + e.getMessage());
                }
            });
            t.join();
            assertEquals(200, answers.size());
            for (int i = 0; i < 200; i++) {
                assertEquals("m" + i + "\n", answers.get(i));
            }
        } finally {
            worker.stop();
        }
    }

    @Test
    void aReplyLongerThanThePipeBufferArrivesWhole() throws Exception {
        WorkerProcess worker = WorkerProcess.start(spec(Map.of()));
        try {
            String big = "x".repeat(3 << 20); // 3 MiB: many pipe buffers, written and read in parts
            assertEquals(big + "\n", exec(worker, big));
            assertEquals("after\n", exec(worker, "after"));
        } finally {
            worker.stop();
        }
    }

    @Test
    void theLastReplyBeforeTheWorkerExitsIsNotLost() throws Exception {
        // EXIT_AFTER=1: the worker answers, then exits at once; the JDK's reaper must not drain that answer away
        for (int i = 0; i < 10; i++) {
            WorkerProcess worker = WorkerProcess.start(spec(Map.of("EXIT_AFTER", "1")));
            assertEquals("last words\n", exec(worker, "last words"));
            assertTrue(worker.awaitExit(Duration.ofSeconds(10)));
            WorkerException e = assertThrows(WorkerException.class, () -> exec(worker, "too late"));
            assertFalse(e.delivered(), e.getMessage());
        }
    }

    @Test
    void aKilledWorkerFailsItsRequestInsteadOfHanging() throws Exception {
        WorkerProcess worker = WorkerProcess.start(spec(Map.of()));
        Thread killer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                return;
            }
            worker.kill();
        });
        WorkerException e = assertThrows(WorkerException.class, () -> exec(worker, "sleep 10000"));
        assertTrue(e.delivered(), e.getMessage());
        killer.join();
    }

    @Test
    void pipeDescriptorsAreGivenBackWhenWorkersExit() throws Exception {
        WorkerProcess.start(spec(Map.of())).stop(); // warm up: classes, the log, timers
        long before = openDescriptors();
        for (int i = 0; i < 12; i++) {
            WorkerProcess worker = WorkerProcess.start(spec(Map.of()));
            assertEquals("hi\n", exec(worker, "hi"));
            if (i % 2 == 0) {
                worker.stop();
            } else {
                worker.kill();
                assertTrue(worker.awaitExit(Duration.ofSeconds(10)));
            }
        }
        // the channels close on a virtual thread once the process has gone
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long now = openDescriptors();
        while (now > before + 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = openDescriptors();
        }
        assertTrue(now <= before + 2, "open descriptors: " + before + " before 12 workers, " + now + " after");
    }

    @Test
    void spinningIsForWorkersThatAnswerFastAndStopsForSlowOnes() {
        long typical = PipeChannels.SPIN_LIMIT_NANOS;
        for (int i = 0; i < 20; i++) {
            typical = PipeChannels.nextTypicalWait(typical, 8_000); // an echo: some 8 µs
        }
        assertTrue(typical < 10_000, "typical wait " + typical);
        assertTrue(PipeChannels.spins(typical));
        for (int i = 0; i < 4; i++) {
            typical = PipeChannels.nextTypicalWait(typical, 5_000_000); // a worker that now takes 5 ms
        }
        assertFalse(PipeChannels.spins(typical), "typical wait " + typical);
        // one long wait counts at most four times the limit, so a fast worker is trusted again soon
        for (int i = 0; i < 12; i++) {
            typical = PipeChannels.nextTypicalWait(typical, 8_000);
        }
        assertTrue(PipeChannels.spins(typical), "typical wait " + typical);
    }

    @Test
    void chainsAreForWorkersWellPastTheSpinLimitNotForAFastOneAnsweringLateNowAndThen() {
        long typical = PipeChannels.SPIN_LIMIT_NANOS;
        assertFalse(PipeChannels.slow(typical), "a new worker is not taken for slow");
        for (int i = 0; i < 8; i++) {
            typical = PipeChannels.nextTypicalWait(typical, 120_000); // 100 µs of PHP work and its overhead
        }
        assertTrue(PipeChannels.slow(typical), "typical wait " + typical);
        long echo = PipeChannels.SPIN_LIMIT_NANOS / 2;
        for (int i = 0; i < 20; i++) {
            // an echo worker on a busy machine: every other answer comes late
            echo = PipeChannels.nextTypicalWait(echo, i % 2 == 0 ? 1_000_000 : 10_000);
            assertFalse(PipeChannels.slow(echo), "typical wait " + echo + " after answer " + i);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
