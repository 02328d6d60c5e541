package io.rrtcp.it;

import io.rrtcp.support.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-connection state kept in kv by real php workers (test-workers/kv-worker.php, protobuf over RPC): consecutive
 * events of one connection go to different workers, which share nothing but the storage.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KvStateTest extends ServerTest {
    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    private TestServer start(String kvSection) throws Exception {
        server = TestServer.in(dir).server("main", "\\n").script("kv-worker.php").noEventLog().workers(4)
                .rpc("tcp://127.0.0.1:0").section(kvSection).start();
        return server;
    }

    /** One connection's story: its tokens in, the same tokens back; returns the worker pids that served it. */
    private Set<String> converse(int connection, int tokens) throws Exception {
        try (Client c = server.connect("main")) {
            assertTrue(c.readLine().startsWith("hello "));
            Set<String> pids = new HashSet<>();
            List<String> sent = new ArrayList<>();
            for (int t = 1; t <= tokens; t++) {
                String token = "c" + connection + "t" + t;
                sent.add(token);
                String reply = c.ask("add " + token + "\n");
                assertTrue(reply.startsWith("ok " + t + " pid="), "connection " + connection + ": " + reply);
                Matcher m = PID.matcher(reply);
                assertTrue(m.find());
                pids.add(m.group(1));
            }
            assertEquals("list " + String.join(",", sent) + "\n", c.ask("list\n"), "connection " + connection);
            return pids;
        }
    }

    @Test
    void hundredConcurrentConnectionsOnFourWorkersKeepTheirOwnStateInMemoryKv() throws Exception {
        start("kv:\n  local:\n    driver: memory\n");
        List<Set<String>> servedBy;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Set<String>>> runs = IntStream.range(0, 100)
                    .mapToObj(i -> clients.submit(() -> converse(i, 8))).toList();
            servedBy = new ArrayList<>();
            for (Future<Set<String>> run : runs) {
                servedBy.add(run.get(90, TimeUnit.SECONDS));
            }
        }
        Set<String> allPids = servedBy.stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertEquals(4, allPids.size(), "all four workers served: " + allPids);
        long spread = servedBy.stream().filter(pids -> pids.size() > 1).count();
        assertTrue(spread > 0, "some connection's events went to more than one worker (else state in kv proves nothing)");
    }

    @Test
    void redisStoppedAndStartedAgainWhileRrTcpRuns() throws Exception {
        try (RedisServer redis = RedisServer.start(dir)) {
            start("kv:\n  local:\n    driver: redis\n    config:\n      addrs: [\"" + redis.addr() + "\"]\n");
            try (Client a = server.connect("main")) {
                assertTrue(a.readLine().startsWith("hello "));
                assertTrue(a.ask("add before\n").startsWith("ok 1 "));

                redis.stop();
                long t0 = System.nanoTime();
                String down = a.ask("add during\n");
                long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                System.out.println("kv while redis is down (" + ms + " ms): " + down.strip());
                assertTrue(down.startsWith("error: Error 'rpc_mget:  redis_driver_mget: redis at " + redis.addr()
                        + " is unreachable: "), down);
                assertTrue(ms < 3000, "the call failed at once, took " + ms + " ms");
                assertEquals("pong\n", a.ask("ping\n"), "the connection keeps being served");
                try (Client b = server.connect("main")) {
                    String greeting = b.readLine();
                    System.out.println("new connection while redis is down: " + greeting.strip());
                    assertTrue(greeting.startsWith("error: "), greeting);
                    assertEquals("pong\n", b.ask("ping\n"));
                }

                redis.startAgain();
                String after = a.ask("add after\n");
                System.out.println("kv after redis returned: " + after.strip());
                assertEquals("error: no state for this connection\n", after,
                        "served again; the state written before is gone with the unpersisted redis");
            }
            try (Client c = server.connect("main")) {
                assertTrue(c.readLine().startsWith("hello "));
                assertTrue(c.ask("add x\n").startsWith("ok 1 "));
                assertEquals("list x\n", c.ask("list\n"));
            }
        }
    }
}
