package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonArray;
import com.eclipsesource.json.JsonObject;
import com.eclipsesource.json.JsonValue;
import io.rrtcp.rpc.RpcClient;
import io.rrtcp.rpc.RpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RPC side door of a running rr-tcp with real php workers, through our Java client (JSON codec). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RpcTest extends ServerTest {
    private TestServer start(int workers) throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").server("other", "\\r\\n").workers(workers)
                .rpc("tcp://127.0.0.1:0").start();
        return server;
    }

    private JsonValue call(String method, JsonValue arg) throws Exception {
        try (RpcClient rpc = RpcClient.connect(server.rpc())) {
            return rpc.call(method, arg);
        }
    }

    private static JsonObject send(String uuid, String data) {
        return new JsonObject().add("uuid", uuid).add("data", data);
    }

    @Test
    void tcpCloseClosesThatClientAndIsTrueAlsoForAnUnknownUuid() throws Exception {
        start(2);
        try (Client closed = server.connect("main"); Client other = server.connect("main")) {
            String uuid = server.uuidOf(closed);
            server.uuidOf(other);
            assertEquals(Json.TRUE, call("tcp.Close", Json.value(uuid)));
            assertEquals("", closed.readToEof(), "the client reads EOF");
            assertEquals(List.of("CONNECTED", "CLOSE"), server.eventNamesAfterClose(uuid));
            assertEquals("still here\r\n", other.ask("still here\r\n"), "other connections are untouched");
            assertEquals(Json.TRUE, call("tcp.Close", Json.value("6b1f5b1e-0000-0000-0000-000000000000")));
        }
    }

    @Test
    void informerShowsTheNumWorkersPidsOfThePool() throws Exception {
        start(3);
        assertEquals(Json.array("tcp"), call("informer.List", Json.TRUE));
        JsonArray workers = call("informer.Workers", Json.value("tcp")).asObject().get("workers").asArray();
        assertEquals(3, workers.size());
        List<Long> pids = workers.values().stream().map(w -> w.asObject().getLong("pid", 0)).toList();
        assertEquals(server.workerPids(), pids);
        JsonObject first = workers.get(0).asObject();
        assertEquals(List.of("pid", "status", "numExecs", "created", "memoryUsage", "CPUPercent", "command",
                "statusStr"), first.names());
        assertEquals("ready", first.getString("statusStr", ""));
        assertEquals(Json.NULL, call("informer.Workers", Json.value("nope")).asObject().get("workers"));
        assertEquals(Json.array("tcp"), call("resetter.List", Json.TRUE));
    }

    @Test
    void sendAndBroadcastReachOnlyTheRightConnectionsAlsoWhileTheirWorkersAreBusy() throws Exception {
        start(3);
        try (Client a = server.connect("main"); Client b = server.connect("main"); Client c = server.connect("other")) {
            String ua = server.uuidOf(a);
            String ub = server.uuidOf(b);
            server.uuidOf(c);
            // a's worker is busy for 5 s with a's own request while the RPC write goes through
            a.send("sleep 5000\r\n");
            server.awaitEvents(all -> all.stream().anyMatch(e -> e.uuid().equals(ua) && e.body().startsWith("sleep")),
                    Duration.ofSeconds(10));
            assertEquals(Json.TRUE, call("tcp.Send", send(ua, "pushed\n")));
            assertEquals("pushed\n", a.readLine(), "delivered before the busy worker answers");
            assertEquals("slept 5000\n", a.readLine());

            assertEquals(Json.value(1), call("tcp.Broadcast",
                    new JsonObject().add("server", "main").add("data", "to all but b\n").add("except", ub)));
            assertEquals("to all but b\n", a.readLine());
            assertEquals(Json.value(2), call("tcp.Broadcast", new JsonObject().add("server", "main").add("data", "all\n")));
            assertEquals("all\n", a.readLine());
            assertEquals("all\n", b.readLine(), "b got only the broadcast without except");
            assertEquals("echo b\r\n", b.ask("echo b\r\n"));
            assertEquals("echo c\r\n", c.ask("echo c\r\n"), "the other server's client got nothing");
        }
    }

    @Test
    void sendToAnUnknownConnectionOrServerIsAnError() throws Exception {
        start(1);
        RpcException e = assertThrows(RpcException.class, () -> call("tcp.Send", send("nope", "x")));
        assertEquals("no such connection: nope", e.getMessage());
        RpcException s = assertThrows(RpcException.class,
                () -> call("tcp.Broadcast", new JsonObject().add("server", "nope").add("data", "x")));
        assertTrue(s.getMessage().startsWith("no such tcp server: nope"), s.getMessage());
        RpcException m = assertThrows(RpcException.class, () -> call("tcp.Nope", Json.TRUE));
        assertEquals("rpc: can't find method tcp.Nope", m.getMessage());
    }

    @Test
    void tcpListShowsEachConnectionWithItsCounters() throws Exception {
        start(1);
        try (Client a = server.connect("main"); Client c = server.connect("other")) {
            String ua = server.uuidOf(a);
            String uc = server.uuidOf(c);
            assertEquals("hello\r\n", a.ask("hello\r\n"));
            JsonArray list = call("tcp.List", Json.TRUE).asObject().get("connections").asArray();
            assertEquals(2, list.size(), list.toString());
            JsonObject first = list.values().stream().map(JsonValue::asObject)
                    .filter(o -> o.getString("uuid", "").equals(ua)).findFirst().orElseThrow();
            assertEquals("main", first.getString("server", ""));
            assertEquals(a.localAddress(), first.getString("remote_addr", ""));
            assertEquals(7, first.getLong("bytes_in", -1));
            assertEquals(7, first.getLong("bytes_out", -1));
            assertTrue(first.getString("connected_at", "").endsWith("Z"), first.toString());
            assertTrue(list.values().stream().anyMatch(o -> o.asObject().getString("uuid", "").equals(uc)));
        }
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnAnswers() throws Exception {
        start(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<JsonValue>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(clients.submit(() -> {
                    try (RpcClient rpc = RpcClient.connect(server.rpc())) {
                        rpc.call("informer.List", Json.TRUE);
                        return rpc.call("informer.Workers", Json.value("tcp"));
                    }
                }));
            }
            for (Future<JsonValue> f : answers) {
                assertEquals(1, f.get().asObject().get("workers").asArray().size());
            }
        }
    }

    private List<Long> rpcPids() throws Exception {
        return call("informer.Workers", Json.value("tcp")).asObject().get("workers").asArray().values().stream()
                .map(w -> w.asObject().getLong("pid", 0)).toList();
    }

    @Test
    void addWorkerAddsOneAndRemoveWorkerRemovesOne() throws Exception {
        start(2);
        assertEquals(Json.FALSE, call("informer.AddWorker", Json.value("tcp")), "upstream never sets the reply");
        assertEquals(3, rpcPids().size());
        assertEquals(Json.FALSE, call("informer.RemoveWorker", Json.value("tcp")));
        assertEquals(2, rpcPids().size());
        RpcException e = assertThrows(RpcException.class, () -> call("informer.AddWorker", Json.value("http")));
        assertEquals("plugin does not support workers management: http", e.getMessage());
    }

    @Test
    void resetReplacesEveryPidAndOpenAndNewConnectionsKeepWorking() throws Exception {
        start(2);
        try (Client open = server.connect("main")) {
            assertEquals("before\r\n", open.ask("before\r\n"));
            List<Long> before = rpcPids();
            assertEquals(Json.TRUE, call("resetter.Reset", Json.value("tcp")));
            List<Long> after = Await.until(this::rpcPids, ps -> ps.size() == 2, Duration.ofSeconds(20), "2 fresh workers");
            assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
            assertEquals("after\r\n", open.ask("after\r\n"), "the open connection survives the reset");
            try (Client fresh = server.connect("main")) {
                assertEquals("new\r\n", fresh.ask("new\r\n"));
            }
        }
        RpcException e = assertThrows(RpcException.class, () -> call("resetter.Reset", Json.value("foo")));
        assertEquals("no such plugin: foo", e.getMessage());
    }

    @Test
    void pipelinedCallsOnOneConnectionAreAnsweredAsTheyFinishMatchedBySeq() throws Exception {
        start(1);
        try (Client busy = server.connect("main");
             java.net.Socket raw = new java.net.Socket("127.0.0.1", Integer.parseInt(server.rpc().replaceAll(".*:", "")))) {
            raw.setSoTimeout(30_000);
            String uuid = server.uuidOf(busy);
            busy.send("sleep 3000\r\n"); // the reset waits for this request to finish
            server.awaitEvents(all -> all.stream().anyMatch(ev -> ev.uuid().equals(uuid) && ev.body().startsWith("sleep")),
                    Duration.ofSeconds(10));
            byte[] reset = request(1, "resetter.Reset", "\"tcp\"");
            byte[] list = request(2, "informer.List", "true");
            raw.getOutputStream().write(concat(reset, list));
            java.io.InputStream in = raw.getInputStream();
            io.rrtcp.goridge.Frame first = io.rrtcp.goridge.FrameCodec.read(in, 1 << 20);
            io.rrtcp.goridge.Frame second = io.rrtcp.goridge.FrameCodec.read(in, 1 << 20);
            assertEquals(2, first.options()[0], "the quick call is answered while the reset waits");
            assertEquals("informer.List[\"tcp\"]", new String(first.payload(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1, second.options()[0]);
            assertEquals("resetter.Resettrue", new String(second.payload(), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("slept 3000\n", busy.readLine(), "the busy request finished normally");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] request(int seq, String method, String json) {
        byte[] name = method.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return io.rrtcp.goridge.FrameCodec.encode(io.rrtcp.goridge.Frame.CODEC_JSON, 0, new int[]{seq, name.length},
                name, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void rpcWritesAndTheWorkersRepliesNeverInterleaveMidMessage() throws Exception {
        start(2);
        int each = 20;
        int size = 64 * 1024;
        try (Client a = server.connect("main")) {
            String ua = server.uuidOf(a);
            try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < each; i++) {
                    char c = (char) ('a' + i);
                    senders.submit(() -> call("tcp.Send", send(ua, String.valueOf(c).repeat(size) + "\n")));
                }
                senders.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        a.send(String.valueOf((char) ('A' + i)).repeat(size) + "\n\r\n"); // the worker echoes it
                    }
                    return null;
                });
                int seen = 0;
                while (seen < 2 * each) {
                    String line = a.readLine();
                    if (line.equals("\r\n")) {
                        continue; // the tail of an echoed message
                    }
                    String body = line.strip();
                    assertEquals(size, body.length(), "a whole message");
                    assertTrue(body.chars().allMatch(ch -> ch == body.charAt(0)), "one message, not a mix");
                    seen++;
                }
            }
        }
    }

    @Test
    void theRrCliGobCallsPipelinedOnOneConnectionGetGobReplies() throws Exception {
        start(2);
        int port = Integer.parseInt(server.rpc().replaceAll(".*:", ""));
        try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
            raw.setSoTimeout(20_000);
            // what `rr workers` sends: informer.List (seq 0), then Workers (1) and Jobs (2) for each plugin
            raw.getOutputStream().write(concat(concat(io.rrtcp.goridge.Vectors.load("g01_cli_req_informer_list_seq0"),
                    io.rrtcp.goridge.Vectors.load("g03_cli_req_informer_workers_seq1")),
                    io.rrtcp.goridge.Vectors.load("g05_cli_req_informer_jobs_seq2")));
            java.util.Map<Integer, byte[]> replies = new java.util.HashMap<>();
            for (int i = 0; i < 3; i++) {
                io.rrtcp.goridge.Frame f = io.rrtcp.goridge.FrameCodec.read(raw.getInputStream(), 1 << 20);
                assertEquals(io.rrtcp.goridge.Frame.CODEC_GOB, f.flags(), "gob replies, no error: " + f);
                replies.put(f.options()[0], io.rrtcp.goridge.FrameCodec.encode(f));
            }
            assertEquals(java.util.HexFormat.of().formatHex(io.rrtcp.goridge.Vectors.load("g02_reply_informer_list_seq0")),
                    java.util.HexFormat.of().formatHex(replies.get(0)));
            assertEquals(java.util.HexFormat.of().formatHex(io.rrtcp.goridge.Vectors.load("g06_reply_informer_jobs_empty_seq2")),
                    java.util.HexFormat.of().formatHex(replies.get(2)));
            String workers = java.util.HexFormat.of().formatHex(replies.get(1));
            String g04 = java.util.HexFormat.of().formatHex(io.rrtcp.goridge.Vectors.load("g04_reply_informer_workers_seq1"));
            String definitions = g04.substring(g04.indexOf("25ff83"), g04.indexOf("29ff84"));
            assertTrue(workers.contains(definitions), "the same type definitions as upstream");
            for (long pid : server.workerPids()) {
                String zigzag = Long.toHexString(pid << 1);
                assertTrue(workers.contains(zigzag), "pid " + pid + " in " + workers);
            }
            assertTrue(workers.contains("0572656164790000") || workers.contains("05726561647900"), "statusStr ready");
        }
    }

    @Test
    void aServerThatIsNotRunningIsOneClearLine() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> RpcClient.connect("tcp://127.0.0.1:" + port));
        assertEquals("no rr-tcp RPC at tcp://127.0.0.1:" + port + ": connection refused", e.getMessage());
    }
}
