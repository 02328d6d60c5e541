package io.rrtcp.cli;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rr-tcp behind a real HAProxy (the Debian package, installed when missing): the client's address crosses the
 * balancer in both PROXY versions, an instance that dies is routed around, and one that drains finishes its clients.
 * Each run prints what happened, lines starting with [kill] or [drain].
 */
@Timeout(value = 150, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HaproxyScaleOutTest {
    private static final int CLIENTS = 50;
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static long ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + BOUND + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @ParameterizedTest(name = "{0} → proxy_protocol: {1}")
    @CsvSource({"send-proxy, v1", "send-proxy-v2, v2"})
    void theWorkerSeesTheClientsAddressNotHaproxys(String sendProxy, String mode) throws Exception {
        try (HaproxyRig rig = new HaproxyRig(dir)) {
            rig.instance("a", mode);
            rig.startHaproxy(sendProxy);
            try (LineClient client = new LineClient("127.0.0.2", rig.frontendPort())) {
                JsonObject ctx = Json.parse(client.ask("ctx")).asObject();
                assertEquals(client.address(), ctx.getString("remote_addr", null), "the client, from the header");
                String proxy = ctx.getString("proxy_addr", "");
                assertTrue(proxy.startsWith("127.0.0.1:"), "HAProxy connects from 127.0.0.1, got " + proxy);
                assertEquals("a hello", client.ask("hello"));
            }
            assertEquals("UP", rig.status().get("a"), "HAProxy's health checks pass through the PROXY header");
            System.out.println("[" + sendProxy + "] remote_addr is the client 127.0.0.2, proxy_addr HAProxy's 127.0.0.1");
        }
    }

    /** What the load clients saw, shared between their threads. */
    private static final class Tally {
        final LongAdder exchanges = new LongAdder();
        final LongAdder reconnects = new LongAdder();
        final LongAdder finished = new LongAdder();
        final Map<String, LongAdder> answeredBy = new ConcurrentHashMap<>();
        final Queue<String> wrong = new ConcurrentLinkedQueue<>();

        void answered(String instance) {
            answeredBy.computeIfAbsent(instance, k -> new LongAdder()).increment();
            exchanges.increment();
        }

        long by(String instance) {
            LongAdder n = answeredBy.get(instance);
            return n == null ? 0 : n.sum();
        }
    }

    @Test
    void killingOneOfTwoInstancesLosesNoAnswerAndClientsContinueOnTheOther() throws Exception {
        try (HaproxyRig rig = new HaproxyRig(dir)) {
            HaproxyRig.Instance a = rig.instance("a", "v2");
            rig.instance("b", "v2");
            rig.startHaproxy("send-proxy-v2");
            Tally before = new Tally();
            Tally after = new Tally();
            AtomicLong killedAt = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int id = 0; id < CLIENTS; id++) {
                int client = id;
                clients.add(Thread.ofVirtual().start(() -> requestReplyLoop(rig.frontendPort(), client, before, after,
                        killedAt)));
            }
            await(() -> before.exchanges.sum() >= CLIENTS * 5L && before.by("a") > 0 && before.by("b") > 0,
                    "both instances answering");
            long pid = a.serve().process().pid();
            long killed = System.nanoTime();
            killedAt.set(killed); // before the signal: a connection that breaks from here on counts as after the kill
            rig.kill(a);
            rig.awaitStatus(s -> "DOWN".equals(s.get("a")), "a DOWN");
            long downAfter = ms(killed);
            for (Thread t : clients) {
                t.join(BOUND);
            }
            rig.haproxyConfig().lines().forEach(l -> System.out.println("[kill] haproxy.cfg | " + l));
            System.out.printf("[kill] %d clients, request/reply lines, 5 per connection, via HAProxy (leastconn, "
                    + "send-proxy-v2) to instances a and b%n", CLIENTS);
            System.out.printf("[kill] before: %d answers, a %d, b %d%n", before.exchanges.sum(), before.by("a"),
                    before.by("b"));
            System.out.printf("[kill] SIGKILL a (pid %d); HAProxy marked a DOWN %d ms later%n", pid, downAfter);
            System.out.printf("[kill] after: %d answers on new connections, a %d, b %d; %d connections lost and "
                    + "reopened; %d of %d clients finished; wrong answers: %d%n", after.exchanges.sum(), after.by("a"),
                    after.by("b"), after.reconnects.sum(), after.finished.sum(), CLIENTS, after.wrong.size()
                            + before.wrong.size());
            rig.haproxyLog().lines().filter(l -> l.contains("rr/a is")).forEach(l -> System.out.println("[kill] haproxy: " + l));

            assertEquals(List.of(), List.copyOf(before.wrong), "answers before the kill");
            assertEquals(0, before.reconnects.sum(), "no connection was lost before the kill");
            assertEquals(List.of(), List.copyOf(after.wrong), "answers after the kill");
            assertEquals(CLIENTS, after.finished.sum(), "every client went on to 20 answers after the kill");
            assertEquals(0, after.by("a"), "a dead instance answers nobody");
            assertTrue(after.reconnects.sum() > 0, "the clients on a lost their connection and reopened it");
        }
    }

    /**
     * One client: lines "c<id> <seq>", five per connection, each answer "<instance> c<id> <seq>"; a lost connection
     * is reopened and the unanswered line asked again. Ends 20 answers after the kill (or at the bound).
     */
    private static void requestReplyLoop(int port, int id, Tally before, Tally after, AtomicLong killedAt) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        int seq = 0;
        int answeredAfterKill = 0;
        while (answeredAfterKill < 20 && System.nanoTime() < deadline) {
            try (LineClient c = new LineClient("127.0.0.1", port)) {
                for (int k = 0; k < 5 && answeredAfterKill < 20; k++) {
                    String line = "c" + id + " " + seq;
                    String reply = c.ask(line);
                    long kill = killedAt.get();
                    boolean opened = kill != 0 && c.openedAt() > kill;
                    Tally tally = opened ? after : before;
                    String instance = reply.startsWith("a ") ? "a" : reply.startsWith("b ") ? "b" : "?";
                    if (!reply.equals(instance + " " + line)) {
                        tally.wrong.add("asked \"" + line + "\", got \"" + reply + "\"");
                    }
                    tally.answered(instance);
                    seq++;
                    if (kill != 0) {
                        answeredAfterKill++;
                    }
                }
            } catch (IOException lost) {
                (killedAt.get() != 0 ? after : before).reconnects.increment();
                sleep(20);
            }
        }
        if (answeredAfterKill >= 20) {
            after.finished.increment();
        }
    }

    @Test
    void aDrainingInstanceFinishesItsDialoguesTakesNoNewClientsAndExitsZero() throws Exception {
        try (HaproxyRig rig = new HaproxyRig(dir)) {
            HaproxyRig.Instance a = rig.instance("a", "v2", "shutdown_grace: 5s");
            rig.instance("b", "v2");
            rig.startHaproxy("send-proxy-v2");
            int dialogues = 20;
            Map<Integer, List<String>> served = new ConcurrentHashMap<>();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong lastEnd = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            for (int id = 0; id < dialogues; id++) {
                int client = id;
                served.put(client, new ArrayList<>());
                clients.add(Thread.ofVirtual().start(() -> dialogue(rig.frontendPort(), client, served.get(client),
                        failures, lastEnd)));
            }
            await(() -> served.values().stream().allMatch(l -> sizeOf(l) >= 2), "every dialogue under way");
            long onA = served.values().stream().filter(l -> instanceOf(l).equals("a")).count();
            long pid = a.serve().process().pid();
            long term = System.nanoTime();
            // SIGTERM to a's JVM by pid; Process.destroy() would also close our end of its output pipe
            a.serve().process().toHandle().destroy();
            await(() -> refused(a.port()), "a to close its listener");
            List<String> newcomers = new ArrayList<>();
            for (int n = 0; n < 10; n++) {
                try (LineClient c = new LineClient("127.0.0.1", rig.frontendPort())) {
                    newcomers.add(c.ask("late " + n).split(" ")[0]);
                }
            }
            for (Thread t : clients) {
                t.join(BOUND);
            }
            assertTrue(a.serve().process().waitFor(20, TimeUnit.SECONDS), "a exits after its drain");
            long exitedAfter = ms(term);
            int exitCode = a.serve().process().exitValue();
            System.out.printf("[drain] %d dialogues of 10 lines (100 ms apart) via HAProxy to a (shutdown_grace: 5s) "
                    + "and b; SIGTERM to a (pid %d) with %d of them on a, mid-way%n", dialogues, pid, onA);
            String log = rig.log(a);
            log.lines().filter(l -> l.matches(".*(stop signal|drain|stopping|stopped|ran out).*"))
                    .forEach(l -> System.out.println("[drain] a: " + l));
            System.out.printf("[drain] 10 new clients during the drain answered by: %s%n", newcomers);
            System.out.printf("[drain] last dialogue ended %d ms after the SIGTERM; a exited with %d after %d ms; "
                    + "failures: %s%n", (lastEnd.get() - term) / 1_000_000, exitCode, exitedAfter, failures);
            rig.haproxyLog().lines().filter(l -> l.contains("rr/a is")).forEach(l -> System.out.println("[drain] haproxy: " + l));

            assertEquals(List.of(), List.copyOf(failures), "every dialogue completes, on the instance it started on");
            assertTrue(onA > 0, "some dialogues were on a when it got SIGTERM");
            assertEquals(List.of(), newcomers.stream().filter(i -> !i.equals("b")).toList(), "no new client reaches a");
            assertEquals(0, exitCode);
            assertTrue(log.contains("drain complete: every connection ended by itself"), log);
            assertEvery(a, "CONNECTED", "CLOSE");
        }
    }

    /** One client's dialogue: 10 lines 100 ms apart on one connection, then "bye"; no reconnecting allowed. */
    private static void dialogue(int port, int id, List<String> served, Queue<String> failures, AtomicLong lastEnd) {
        try (LineClient c = new LineClient("127.0.0.1", port)) {
            for (int seq = 0; seq < 10; seq++) {
                String line = "d" + id + " " + seq;
                String reply = c.ask(line);
                synchronized (served) {
                    served.add(reply.split(" ")[0]);
                }
                if (!reply.endsWith(" " + line) || !reply.startsWith(served.get(0) + " ")) {
                    failures.add("dialogue " + id + ": asked \"" + line + "\", got \"" + reply + "\"");
                }
                sleep(100);
            }
            if (!c.ask("bye").equals("bye")) {
                failures.add("dialogue " + id + ": no goodbye");
            }
        } catch (IOException e) {
            failures.add("dialogue " + id + " after " + sizeOf(served) + " answers: " + e);
        }
        lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** True when nothing listens on the loopback port any more. */
    private static boolean refused(int port) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static int sizeOf(List<String> served) {
        synchronized (served) {
            return served.size();
        }
    }

    private static String instanceOf(List<String> served) {
        synchronized (served) {
            return served.isEmpty() ? "" : served.get(0);
        }
    }

    /** Every connection that reached one of the instance's workers got both events (one CLOSE per CONNECTED). */
    private void assertEvery(HaproxyRig.Instance instance, String opened, String closed) throws IOException {
        List<JsonObject> events = Files.readAllLines(dir.resolve(instance.name()).resolve("events.jsonl")).stream()
                .filter(l -> !l.isBlank()).map(l -> Json.parse(l).asObject()).toList();
        long connected = events.stream().filter(e -> e.getString("event", "").equals(opened)).count();
        assertNotEquals(0, connected);
        assertEquals(connected, events.stream().filter(e -> e.getString("event", "").equals(closed)).count(),
                "one " + closed + " per " + opened);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
