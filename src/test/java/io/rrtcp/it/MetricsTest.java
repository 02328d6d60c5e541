package io.rrtcp.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rr_tcp_* metric moves as it should for a scripted set of connections on a real server with a real php worker:
 * connect and three messages, a max_message_size closure, a verb closure, a client closure, and a worker killed in the
 * middle of a request.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MetricsTest extends ServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void everyMetricMovesForOneScriptedRunOfConnections() throws Exception {
        server = TestServer.in(dir).server("main", "\\n").workers(1).tcp("max_message_size: \"64B\"")
                .section("metrics:\n  address: 127.0.0.1:0").start();
        InetSocketAddress metrics = server.server().opsAddresses().get("metrics");

        Scrape before = Scrape.of(metrics);
        assertEquals(0, before.value("rr_tcp_connections_total", "server", "main"));
        assertEquals(1, before.value("rr_tcp_workers", "state", "ready"));

        try (Client c = server.connect("main")) {
            for (String m : new String[]{"one\n", "two\n", "three\n"}) {
                assertEquals(m, c.ask(m));
            }
            Scrape s = Scrape.of(metrics);
            assertEquals(1, s.value("rr_tcp_connections_total", "server", "main"));
            assertEquals(1, s.value("rr_tcp_connections_open", "server", "main"));
            assertEquals(1, s.value("rr_tcp_events_total", "server", "main", "event", "connected"));
            assertEquals(3, s.value("rr_tcp_events_total", "server", "main", "event", "data"));
            assertEquals(14, s.value("rr_tcp_received_bytes_total", "server", "main"));
            assertEquals(14, s.value("rr_tcp_sent_bytes_total", "server", "main"));
            assertEquals(4, s.value("rr_tcp_worker_duration_seconds_count", "server", "main"), "CONNECTED + 3 DATA");
            assertEquals(4, s.value("rr_tcp_worker_wait_seconds_count", "server", "main"));
            assertEquals(4, s.value("rr_tcp_worker_duration_seconds_bucket", "server", "main", "le", "+Inf"));
            assertTrue(s.value("rr_tcp_worker_duration_seconds_sum", "server", "main") > 0);

            c.send("x".repeat(100)); // past max_message_size without a delimiter
            assertEquals("", c.readToEof());
        }
        Scrape limited = awaitScrape(metrics, s -> s.value("rr_tcp_events_total", "server", "main", "event", "close") == 1);
        assertEquals(1, limited.value("rr_tcp_connections_closed_total", "server", "main", "reason", "max_message_size"));
        assertEquals(0, limited.value("rr_tcp_connections_open", "server", "main"));

        try (Client bye = server.connect("main")) {
            assertEquals("goodbye\r\n", bye.ask("bye\n"));
        }
        try (Client quiet = server.connect("main")) {
            assertEquals("hi\n", quiet.ask("hi\n"));
        }
        Scrape closed = awaitScrape(metrics, s -> s.value("rr_tcp_events_total", "server", "main", "event", "close") == 3);
        assertEquals(1, closed.value("rr_tcp_connections_closed_total", "server", "main", "reason", "verb"));
        assertEquals(1, closed.value("rr_tcp_connections_closed_total", "server", "main", "reason", "client"));

        try (Client busy = server.connect("main")) {
            busy.send("sleep 20000\n");
            Scrape working = awaitScrape(metrics, s -> s.value("rr_tcp_workers", "state", "working") == 1);
            assertEquals(1, working.value("rr_tcp_queue_length"), "the request in the pool");
            long pid = server.workerPids().getFirst();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertEquals("", busy.readToEof(), "the worker died with the request: the connection ends");
        }
        Scrape killed = awaitScrape(metrics, s -> s.value("rr_tcp_workers", "state", "ready") == 1
                && s.value("rr_tcp_events_total", "server", "main", "event", "close") == 4);
        assertEquals(1, killed.value("rr_tcp_connections_closed_total", "server", "main", "reason", "worker_error"));
        assertEquals(1, restarts(killed), "one worker replaced: " + killed.text());
        assertEquals(1, killed.value("rr_tcp_worker_restarts_total", "reason", "errored"));
        assertEquals(4, killed.value("rr_tcp_connections_total", "server", "main"));
        assertEquals(0, killed.value("rr_tcp_connections_open", "server", "main"));
        assertEquals(0, killed.value("rr_tcp_queue_length"));
        assertEquals(0, killed.value("rr_tcp_connections_closed_total", "server", "main", "reason", "shutdown"));
    }

    private static double restarts(Scrape s) {
        return s.samples().entrySet().stream().filter(e -> e.getKey().startsWith("rr_tcp_worker_restarts_total"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static Scrape awaitScrape(InetSocketAddress metrics, java.util.function.Predicate<Scrape> condition)
            throws Exception {
        return Await.until(() -> Scrape.of(metrics), condition, WAIT, "a scrape");
    }
}
