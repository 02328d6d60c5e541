package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rr-tcp's RPC as PHP code meets it: {@code test-workers/rpc-client.php} builds its frames in PHP the way
 * {@code Spiral\Goridge\RPC\RPC} does (JSON codec, static seq from 1), and workers call RPC through {@code RR_RPC}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PhpRpcClientTest extends ServerTest {
    /** Runs the PHP client with (method, json arg) pairs over one connection; one JSON object per call. */
    private List<JsonObject> php(String address, String... calls) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("php", TestServer.WORKERS.resolve("rpc-client.php").toString(), address));
        command.addAll(List.of(calls));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "php client finished");
            assertEquals(0, p.exitValue(), out);
            return out.lines().map(l -> Json.parse(l).asObject()).toList();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void phpClientCallsInformerResetterAndTcpWithUpstreamShapesAndErrors() throws Exception {
        server = TestServer.in(dir).workers(2).rpc("tcp://127.0.0.1:0").start();
        String rpc = server.rpc();
        List<JsonObject> r = php(rpc,
                "informer.List", "true",
                "informer.Workers", "\"tcp\"",
                "informer.Workers", "\"nope\"",
                "tcp.Close", "\"6b1f5b1e-0000-0000-0000-000000000000\"",
                "resetter.Reset", "\"foo\"",
                "informer.Nope", "\"tcp\"",
                "informer.Workers", "123",
                "informer.AddWorker", "\"tcp\"",
                "RAW:tcp.Close", "abc");
        assertEquals(Json.array("tcp"), r.get(0).get("ok"));
        assertEquals(2, r.get(1).get("ok").asObject().get("workers").asArray().size());
        assertEquals(Json.NULL, r.get(2).get("ok").asObject().get("workers"));
        assertEquals(Json.TRUE, r.get(3).get("ok"));
        assertEquals("Error 'no such plugin: foo' on " + rpc, r.get(4).getString("error", ""));
        assertEquals("Error 'rpc: can't find method informer.Nope' on " + rpc, r.get(5).getString("error", ""));
        assertEquals("Error 'json: cannot unmarshal number into Go value of type string' on " + rpc,
                r.get(6).getString("error", ""));
        assertEquals(Json.FALSE, r.get(7).get("ok"));
        assertEquals(3, server.workerPids().size(), "AddWorker added one");
        assertEquals("Error 'unknown Raw payload type' on " + rpc, r.get(8).getString("error", ""));
    }

    @Test
    void phpClientClosesAConnectionByUuidOverAUnixSocket() throws Exception {
        Path socket = dir.resolve("rr.sock");
        server = TestServer.in(dir).workers(1).rpc("unix://" + socket).start();
        assertEquals("unix://" + socket, server.rpc());
        try (Client client = server.connect("main")) {
            String uuid = server.uuidOf(client);
            List<JsonObject> r = php(server.rpc(), "tcp.Close", Json.value(uuid).toString());
            assertEquals(Json.TRUE, r.get(0).get("ok"));
            assertEquals("", client.readToEof());
        }
    }

    @Test
    void statelessWorkersReachOtherConnectionsThroughRrRpc() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").server("other", "\\r\\n").workers(2)
                .rpc("tcp://127.0.0.1:0").start();
        try (Client a = server.connect("main"); Client b = server.connect("main"); Client c = server.connect("main");
             Client d = server.connect("other")) {
            server.uuidOf(a);
            String ub = server.uuidOf(b);
            server.uuidOf(c);
            server.uuidOf(d);
            assertEquals("sent to 2\n", a.ask("broadcast hi all\r\n"), "a's worker broadcast over RR_RPC");
            assertEquals("hi all\n", b.readLine());
            assertEquals("hi all\n", c.readLine());
            assertEquals("sent\n", a.ask("whisper " + ub + " psst\r\n"));
            assertEquals("psst\n", b.readLine());
            assertEquals("c\r\n", c.ask("c\r\n"), "c got nothing more");
            assertEquals("d\r\n", d.ask("d\r\n"), "the other server got nothing");
            assertEquals("error: Error 'no such connection: nope' on " + server.rpc() + "\n", a.ask("whisper nope x\r\n"));
        }
    }

    @Test
    void phpClientMovesApplicationMetricsWithUpstreamsShapesAndErrors() throws Exception {
        server = TestServer.in(dir).workers(1).rpc("tcp://127.0.0.1:0")
                .section("metrics:\n  address: 127.0.0.1:0").start();
        String rpc = server.rpc();
        List<JsonObject> r = php(rpc,
                "metrics.Declare", "{\"name\":\"queue\",\"collector\":{\"namespace\":\"app\",\"subsystem\":\"\","
                        + "\"type\":\"gauge\",\"help\":\"Jobs waiting.\",\"labels\":[\"queue\"],\"buckets\":[]}}",
                "metrics.Set", "{\"name\":\"queue\",\"value\":10,\"labels\":[\"mail\"]}",
                "metrics.Sub", "{\"name\":\"queue\",\"value\":2.5,\"labels\":[\"mail\"]}",
                "metrics.Observe", "{\"name\":\"queue\",\"value\":1,\"labels\":[\"mail\"]}",
                "metrics.Add", "{\"name\":\"queue\",\"value\":1}",
                "metrics.Add", "{\"name\":\"nope\",\"value\":1}",
                "metrics.Declare", "{\"name\":\"x\",\"collector\":{\"type\":\"meter\"}}",
                "metrics.Unregister", "\"nope\"");
        assertEquals(Json.TRUE, r.get(0).get("ok"));
        assertEquals(Json.TRUE, r.get(1).get("ok"));
        assertEquals(Json.TRUE, r.get(2).get("ok"));
        assertEquals("Error 'collector does not support the requested operation: queue does not support Observe' on "
                + rpc, r.get(3).getString("error", ""));
        assertEquals("Error 'required labels for collector: queue' on " + rpc, r.get(4).getString("error", ""));
        assertEquals("Error 'undefined collector: nope' on " + rpc, r.get(5).getString("error", ""));
        assertEquals("Error 'metrics_rpc_declare: unknown collector type: meter' on " + rpc, r.get(6).getString("error", ""));
        assertEquals("Error 'undefined collector: nope' on " + rpc, r.get(7).getString("error", ""));
        Scrape scrape = Scrape.of(server.server().opsAddresses().get("metrics"));
        assertEquals(7.5, scrape.value("app_queue", "queue", "mail"), scrape.text());
    }

    @Test
    void withoutAMetricsSectionTheMetricsServiceDoesNotExistAsUpstream() throws Exception {
        server = TestServer.in(dir).workers(1).rpc("tcp://127.0.0.1:0").start();
        List<JsonObject> r = php(server.rpc(), "metrics.Add", "{\"name\":\"x\",\"value\":1}");
        assertEquals("Error 'rpc: can't find service metrics.Add' on " + server.rpc(), r.get(0).getString("error", ""));
    }
}
