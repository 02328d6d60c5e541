package io.rrtcp.kv;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import com.google.protobuf.ByteString;
import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.goridge.Vectors;
import io.rrtcp.kv.proto.Item;
import io.rrtcp.kv.proto.Request;
import io.rrtcp.kv.proto.Response;
import io.rrtcp.rpc.RpcClient;
import io.rrtcp.rpc.RpcDispatcher;
import io.rrtcp.rpc.RpcServer;
import io.rrtcp.tcp.ConnectionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code kv.*} method over a real RPC socket, with the bytes spiral/roadrunner-kv sends (protobuf, flags 0x80)
 * and the JSON codec, against one storage named {@code local}. Subclasses run it on each driver.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class KvMethodsContract {
    private static final HexFormat HEX = HexFormat.of();

    private KvService kv;
    private RpcServer rpc;
    private RpcClient client;

    /** The storage under test, named {@code local}, empty. */
    abstract Storage openStorage(InstantSource clock) throws Exception;

    /** The driver's prefix in error texts: {@code in_memory_plugin} or {@code redis_driver}. */
    abstract String driverOp();

    @BeforeEach
    void startRpc() throws Exception {
        kv = new KvService(Map.of("local", openStorage(InstantSource.system())));
        RpcDispatcher methods = RpcDispatcher.of(new ConnectionRegistry(), Set.of("main"), Map.of(),
                Duration.ofSeconds(1), "test").withKv(kv);
        rpc = RpcServer.start("tcp://127.0.0.1:0", methods);
        client = RpcClient.connect(rpc.address().dsn());
        call("kv.Clear", Request.newBuilder().setStorage("local").build());
    }

    @AfterEach
    void stopRpc() throws IOException {
        client.close();
        rpc.close();
        kv.close();
    }

    /** A reply frame's body, and whether it is an error. */
    record Reply(boolean error, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Response response() throws IOException {
            if (error) {
                fail("error reply: " + text());
            }
            return Response.parseFrom(body);
        }
    }

    Reply callWith(int flags, String method, byte[] body) throws IOException {
        Frame reply = client.callRaw(flags, method, body);
        assertEquals(flags, reply.flags() & ~Frame.ERROR, "the reply keeps the request's codec");
        int methodLength = reply.options()[1];
        assertEquals(method, new String(reply.payload(), 0, methodLength, StandardCharsets.UTF_8));
        return new Reply(reply.has(Frame.ERROR), Arrays.copyOfRange(reply.payload(), methodLength, reply.payload().length));
    }

    Reply call(String method, Request request) throws IOException {
        return callWith(Frame.CODEC_PROTO, method, request.toByteArray());
    }

    static Request keys(String... keys) {
        Request.Builder r = Request.newBuilder().setStorage("local");
        for (String k : keys) {
            r.addItems(Item.newBuilder().setKey(k));
        }
        return r.build();
    }

    static Item item(String key, String value, String timeout) {
        return Item.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).setTimeout(timeout).build();
    }

    static Request items(Item... items) {
        return Request.newBuilder().setStorage("local").addAllItems(List.of(items)).build();
    }

    static String inSeconds(long seconds) {
        return Rfc3339.format(Instant.now().plusSeconds(seconds));
    }

    private void set(String key, String value) throws IOException {
        assertEquals(Response.getDefaultInstance(), call("kv.Set", items(item(key, value, ""))).response());
    }

    private List<String> keysOf(Response r) {
        return r.getItemsList().stream().map(Item::getKey).toList();
    }

    private String error(String rpcOp, String driverMethod, String reason) {
        return rpcOp + ":\n\t" + driverOp() + "_" + driverMethod + ": " + reason;
    }

    @Test
    void specVectorKvHasFromPhpGetsTheRecordedReply() throws IOException {
        set("a", "1");
        Frame request = FrameCodec.read(new ByteArrayInputStream(Vectors.load("p01_php_req_kv_has_proto_seq1")), 1 << 20);
        int methodLength = request.options()[1];
        byte[] body = Arrays.copyOfRange(request.payload(), methodLength, request.payload().length);
        // our client numbers its own calls, so compare from the method name on: flags, method and body
        Frame reply = client.callRaw(request.flags(), "kv.Has", body);
        byte[] expected = Vectors.load("p02_reply_kv_has_proto_seq1");
        assertEquals(HEX.formatHex(Arrays.copyOfRange(expected, 12 + 8, expected.length)), HEX.formatHex(reply.payload()));
        assertEquals(expected[1], (byte) reply.flags());
    }

    @Test
    void handEncodedSetAndMGetBodiesAreWhatPhpSendsAndReads() throws IOException {
        // kv.Set {storage "local", items [{key "a", value "hi"}]}: empty timeout left out, as PHP's protobuf writes it
        Reply set = callWith(Frame.CODEC_PROTO, "kv.Set", HEX.parseHex("0a056c6f63616c" + "1207" + "0a0161" + "12026869"));
        assertFalse(set.error(), set.text());
        assertEquals("", HEX.formatHex(set.body()), "an empty Response is zero bytes");
        Reply mget = callWith(Frame.CODEC_PROTO, "kv.MGet", HEX.parseHex("0a056c6f63616c" + "1203" + "0a0161" + "1203" + "0a0162"));
        assertEquals("0a07" + "0a0161" + "12026869", HEX.formatHex(mget.body()), "only the existing key, with its value");
    }

    @Test
    void hasMGetAndDeleteSeeExactlyTheStoredKeys() throws IOException {
        set("a", "1");
        set("b", "two");
        assertEquals(List.of("a", "b"), keysOf(call("kv.Has", keys("a", "missing", "b")).response()));
        Response values = call("kv.MGet", keys("b", "missing", "a")).response();
        assertEquals(Map.of("a", "1", "b", "two"), Map.of(values.getItems(0).getKey(), values.getItems(0).getValue().toStringUtf8(),
                values.getItems(1).getKey(), values.getItems(1).getValue().toStringUtf8()));
        assertEquals(2, values.getItemsCount());
        assertEquals(Response.getDefaultInstance(), call("kv.Delete", keys("a", "missing")).response());
        assertEquals(List.of("b"), keysOf(call("kv.Has", keys("a", "b")).response()));
    }

    @Test
    void setOverwritesAndKeepsBinaryValues() throws IOException {
        byte[] binary = {0, (byte) 0xff, 10, 13, (byte) 0x80};
        set("k", "old");
        call("kv.Set", items(Item.newBuilder().setKey("k").setValue(ByteString.copyFrom(binary)).build())).response();
        assertArrayEquals(binary, call("kv.MGet", keys("k")).response().getItems(0).getValue().toByteArray());
    }

    @Test
    void clearEmptiesTheStorage() throws IOException {
        set("a", "1");
        set("b", "2");
        assertEquals(Response.getDefaultInstance(), call("kv.Clear", Request.newBuilder().setStorage("local").build()).response());
        assertEquals(List.of(), keysOf(call("kv.Has", keys("a", "b")).response()));
    }

    @Test
    void ttlReportsTheExpiryTimeOrEmptyForKeysWithoutOne() throws IOException {
        String in100 = inSeconds(100);
        call("kv.Set", items(item("t", "v", in100), item("n", "v", ""))).response();
        Response ttl = call("kv.TTL", keys("t", "n", "missing")).response();
        assertEquals(List.of("t", "n"), keysOf(ttl));
        Instant reported = Rfc3339.parse(ttl.getItems(0).getTimeout());
        assertTrue(Math.abs(Duration.between(Rfc3339.parse(in100), reported).toSeconds()) <= 1,
                "reported " + ttl.getItems(0).getTimeout() + " for " + in100);
        assertEquals("", ttl.getItems(1).getTimeout());
    }

    @Test
    void keysExpireOnTime() throws Exception {
        call("kv.Set", items(item("short", "v", inSeconds(2)), item("long", "v", inSeconds(100)))).response();
        assertEquals(List.of("short", "long"), keysOf(call("kv.Has", keys("short", "long")).response()));
        awaitGone("short", Duration.ofSeconds(10));
        assertEquals(List.of("long"), keysOf(call("kv.MGet", keys("short", "long")).response()));
    }

    @Test
    void mexpireGivesAnExistingKeyATtl() throws Exception {
        set("m", "kept");
        call("kv.MExpire", items(item("m", "", inSeconds(2)))).response();
        assertEquals("kept", call("kv.MGet", keys("m")).response().getItems(0).getValue().toStringUtf8(),
                "MExpire keeps the value");
        assertFalse(call("kv.TTL", keys("m")).response().getItems(0).getTimeout().isEmpty());
        awaitGone("m", Duration.ofSeconds(10));
    }

    @Test
    void aTtlAlreadyOverStoresTheValueWithoutOne() throws IOException {
        call("kv.Set", items(item("past", "v", inSeconds(-60)))).response();
        Response ttl = call("kv.TTL", keys("past")).response();
        assertEquals(List.of("past"), keysOf(ttl));
        assertEquals("", ttl.getItems(0).getTimeout());
    }

    private void awaitGone(String key, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!keysOf(call("kv.Has", keys(key)).response()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail(key + " did not expire within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void errorTextsAreUpstreams() throws IOException {
        assertEquals("no storage provided", call("kv.Has", Request.newBuilder().addItems(item("a", "", "")).build()).text());
        assertEquals("no such storage: nope", call("kv.MGet", keys("a").toBuilder().setStorage("nope").build()).text());
        for (String method : List.of("Has", "MGet", "TTL", "Delete")) {
            String m = method.toLowerCase();
            Reply none = call("kv." + method, keys());
            assertTrue(none.error());
            assertEquals(error("rpc_" + m, m, "should provide at least 1 key"), none.text());
            assertEquals(error("rpc_" + m, m, "key can't be empty string"), call("kv." + method, keys("a", " ")).text());
        }
        assertEquals(error("rpc_set", "set", "should provide at least 1 key"), call("kv.Set", keys()).text());
        assertEquals(error("rpc_set", "set", "key can't be empty string"), call("kv.Set", keys("")).text());
        assertEquals(error("rpc_set", "set", "timeout \"tomorrow\" of key \"a\" is not an RFC 3339 time like "
                + "2024-01-02T15:04:05+00:00"), call("kv.Set", items(item("a", "v", "tomorrow"))).text());
        String emptyMExpire = driverOp().startsWith("redis") ? "should set timeout and at least one key"
                : "timeout for MExpire is empty or key is empty";
        assertEquals(error("rpc_mexpire", "mexpire", emptyMExpire), call("kv.MExpire", keys("a")).text());
        assertEquals("rpc: can't find method kv.Nope", call("kv.Nope", keys("a")).text());
    }

    @Test
    void jsonCodecTakesAndGivesTheSameMessages() throws Exception {
        Reply set = callWith(Frame.CODEC_JSON, "kv.Set",
                "{\"storage\":\"local\",\"items\":[{\"key\":\"j\",\"value\":\"aGk=\"}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}", set.text());
        Reply mget = callWith(Frame.CODEC_JSON, "kv.MGet",
                "{\"storage\":\"local\",\"items\":[{\"key\":\"j\"},{\"key\":\"x\"}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Json.parse("{\"items\":[{\"key\":\"j\",\"value\":\"aGk=\"}]}"), Json.parse(mget.text()));
        JsonObject has = Json.parse(client.call("kv.Has", Json.parse("{\"storage\":\"local\",\"items\":[{\"key\":\"j\"}]}")).toString()).asObject();
        assertEquals("j", has.get("items").asArray().get(0).asObject().getString("key", ""));
        Reply bad = callWith(Frame.CODEC_JSON, "kv.Has", "{\"storage\":5}".getBytes(StandardCharsets.UTF_8));
        assertTrue(bad.error());
        assertEquals("json: cannot unmarshal number into Go struct field .storage of type string", bad.text());
    }

    @Test
    void gobCodecIsRefusedWithAClearError() throws IOException {
        Reply gob = callWith(Frame.CODEC_GOB, "kv.Has", new byte[]{3, 2, 0, 1});
        assertTrue(gob.error());
        assertEquals("gob codec: the kv methods take protobuf (as spiral/roadrunner-kv sends) or JSON", gob.text());
    }
}
