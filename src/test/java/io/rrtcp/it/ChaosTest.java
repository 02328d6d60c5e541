package io.rrtcp.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 concurrent connections x 50 round trips while workers are SIGKILLed at random: every answer arrives on the
 * connection that asked for it, or that connection is closed; nothing ever arrives on a wrong connection, nothing hangs.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChaosTest extends ServerTest {
    private static final int CONNECTIONS = 200;
    private static final int ROUND_TRIPS = 50;
    private static final int WORKERS = 4;
    private static final Duration KILL_EVERY = Duration.ofMillis(50);

    /** How one connection ended. */
    private record Outcome(int id, int answered, String end) {
    }

    @Test
    void underRandomKillsEveryAnswerReachesItsOwnConnectionOrThatConnectionIsClosed() throws Exception {
        // no event log: 10 000 file appends would dominate the run time
        server = TestServer.in(dir).workers(WORKERS).noEventLog().start();
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        AtomicBoolean clientsDone = new AtomicBoolean();
        AtomicInteger kills = new AtomicInteger();
        List<Outcome> outcomes = new ArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> killer = threads.submit(() -> killRandomWorkers(clientsDone, kills));
            List<Future<Outcome>> clients = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int id = c;
                clients.add(threads.submit(() -> converse(id, wrong)));
            }
            for (Future<Outcome> f : clients) {
                outcomes.add(f.get());
            }
            clientsDone.set(true);
            killer.get();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        long complete = outcomes.stream().filter(o -> o.answered() == ROUND_TRIPS).count();
        long answers = outcomes.stream().mapToLong(Outcome::answered).sum();
        System.err.printf("chaos: %d connections, %d complete, %d answers, %d workers killed, %d s%n",
                CONNECTIONS, complete, answers, kills.get(), seconds);
        assertEquals(List.of(), List.copyOf(wrong), "answers that arrived on the wrong connection");
        List<Outcome> hung = outcomes.stream().filter(o -> o.end().startsWith("timeout")).toList();
        assertEquals(List.of(), hung, "connections left hanging instead of answered or closed");
        assertTrue(kills.get() > 0, "workers were killed");
        assertTrue(complete > CONNECTIONS / 4, "most connections are unaffected by a kill: " + complete);
        Await.until(server::workerPids, p -> p.size() == WORKERS, Duration.ofSeconds(30), "pool back at " + WORKERS);
    }

    private Outcome converse(int id, Queue<String> wrong) {
        int answered = 0;
        try (Client client = server.connect("main")) {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                String ask = "c" + id + "-" + i + "\r\n";
                String got = client.ask(ask);
                if (!got.equals(ask)) {
                    wrong.add("connection " + id + " asked " + ask.trim() + " got " + got.trim());
                    return new Outcome(id, answered, "wrong answer");
                }
                answered++;
            }
            return new Outcome(id, answered, "complete");
        } catch (SocketTimeoutException e) {
            return new Outcome(id, answered, "timeout: " + e.getMessage());
        } catch (IOException e) {
            return new Outcome(id, answered, "closed: " + e.getMessage());
        }
    }

    /** Kills a random worker of the pool (never anything else) now and then, until the clients are done. */
    private Void killRandomWorkers(AtomicBoolean done, AtomicInteger kills) throws InterruptedException {
        while (!done.get()) {
            Thread.sleep(KILL_EVERY.toMillis() + ThreadLocalRandom.current().nextLong(KILL_EVERY.toMillis()));
            List<Long> pids = server.workerPids();
            if (pids.isEmpty()) {
                continue;
            }
            long pid = pids.get(ThreadLocalRandom.current().nextInt(pids.size()));
            // only a child of this JVM: a pid that exited and was reused is left alone
            ProcessHandle.current().children().filter(p -> p.pid() == pid).findFirst().ifPresent(p -> {
                if (p.destroyForcibly()) {
                    kills.incrementAndGet();
                }
            });
        }
        return null;
    }
}
