package io.rrtcp.rpc;

import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.goridge.Vectors;
import io.rrtcp.tcp.ConnectionRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatcher answers the spec's recorded requests with byte-identical replies: JSON as PHP's RPC client gets
 * them (r*), gob as the {@code rr} CLI gets them (g*), error frames with upstream's texts.
 */
class RpcDispatcherTest {
    /** The worker of the spec's vectors: pid 14348, ready, 3 execs, created 1.7e18 ns, 20 MiB RSS, 0.5 % CPU. */
    static final WorkerStatus VECTOR_WORKER =
            new WorkerStatus(14348, 1, 3, 1_700_000_000_000_000_000L, 20_971_520, 0.5, "", "ready");

    final List<String> calls = new ArrayList<>();
    final ManagedWorkers tcpWorkers = new ManagedWorkers() {
        @Override
        public List<WorkerStatus> workers() {
            return List.of(VECTOR_WORKER);
        }

        @Override
        public void addWorker() {
            calls.add("add");
        }

        @Override
        public void removeWorker() {
            calls.add("remove");
        }

        @Override
        public void reset() {
            calls.add("reset");
        }
    };
    final RpcDispatcher dispatcher = RpcDispatcher.of(new ConnectionRegistry(), Set.of("main"),
            Map.of("tcp", tcpWorkers), Duration.ofSeconds(1), "test");

    private static Frame frame(byte[] bytes) throws IOException {
        return FrameCodec.read(new ByteArrayInputStream(bytes), 1 << 20);
    }

    private void assertAnswers(String requestVector, String replyVector) throws IOException {
        byte[] reply = FrameCodec.encode(dispatcher.handle(frame(Vectors.load(requestVector))));
        assertEquals(HexFormat.of().formatHex(Vectors.load(replyVector)), HexFormat.of().formatHex(reply),
                requestVector + " -> " + replyVector);
    }

    private void assertAnswers(int flags, int seq, String method, String body, String replyVector) {
        byte[] name = method.getBytes(StandardCharsets.UTF_8);
        Frame request = new Frame(flags, 0, new int[]{seq, name.length},
                (method + body).getBytes(StandardCharsets.ISO_8859_1));
        byte[] reply = FrameCodec.encode(dispatcher.handle(request));
        assertEquals(HexFormat.of().formatHex(Vectors.load(replyVector)), HexFormat.of().formatHex(reply), replyVector);
    }

    @Test
    void phpJsonCallsGetUpstreamReplies() throws IOException {
        assertAnswers("r01_php_req_informer_workers_seq1", "r02_reply_informer_workers_seq1");
        assertAnswers("r03_php_req_tcp_close_seq2", "r04_reply_tcp_close_seq2");
        assertAnswers("r05_php_req_resetter_reset_foo_seq3", "r06_reply_resetter_reset_error_seq3");
        assertAnswers("r07_php_req_informer_list_seq1", "r08_reply_informer_list_seq1");
        assertAnswers("r09_php_req_informer_addworker_seq3", "r10_reply_informer_addworker_seq3");
        assertEquals(List.of("add"), calls);
    }

    @Test
    void jsonErrorsCarryUpstreamTexts() {
        assertAnswers(Frame.CODEC_JSON, 5, "informer.Nope", "\"tcp\"", "r11_reply_cant_find_method_seq5");
        assertAnswers(Frame.CODEC_JSON, 6, "nosuchservice.Method", "\"tcp\"", "r12_reply_cant_find_service_seq6");
        assertAnswers(Frame.CODEC_JSON, 7, "informer.Workers", "123", "r13_reply_json_decode_error_seq7");
        assertAnswers(Frame.CODEC_JSON, 8, "informer.Workers", "\"other\"", "r14_reply_informer_workers_unknown_seq8");
    }

    @Test
    void rrCliGobCallsGetByteExactReplies() throws IOException {
        assertAnswers("g01_cli_req_informer_list_seq0", "g02_reply_informer_list_seq0");
        assertAnswers("g03_cli_req_informer_workers_seq1", "g04_reply_informer_workers_seq1");
        assertAnswers("g05_cli_req_informer_jobs_seq2", "g06_reply_informer_jobs_empty_seq2");
        assertAnswers("g07_cli_req_informer_workers_nope_seq3", "g08_reply_informer_workers_empty_seq3");
        assertAnswers("g09_cli_req_resetter_list_seq0", "g10_reply_resetter_list_seq0");
        assertAnswers("g11_cli_req_resetter_reset_seq1", "g12_reply_resetter_reset_true_seq1");
        assertEquals(List.of("reset"), calls);
    }

    @Test
    void gobErrorsCarryUpstreamTexts() {
        assertAnswers(Frame.CODEC_GOB, 2, "resetter.Reset", "\u0006\u000c\u0000\u0003foo", "g13_reply_resetter_reset_error_seq2");
        assertAnswers(Frame.CODEC_GOB, 3, "resetter.Nope", "\u0006\u000c\u0000\u0003tcp", "g14_reply_cant_find_method_seq3");
    }

    @Test
    void methodWithoutDotIsIllFormed() {
        Frame reply = dispatcher.handle(new Frame(Frame.CODEC_JSON, 0, new int[]{1, 4}, "Nope".getBytes()));
        assertEquals(Frame.CODEC_JSON | Frame.ERROR, reply.flags());
        assertEquals("Nopepc: service/method request ill-formed: Nope".substring(4),
                new String(reply.payload(), 4, reply.payload().length - 4, StandardCharsets.UTF_8).substring(1));
    }

    @Test
    void rawCodecRepliesBytesOnlyAndGobRejectsObjects() {
        Frame raw = dispatcher.handle(new Frame(Frame.CODEC_RAW, 0, new int[]{1, 9}, "tcp.Closeabc".getBytes()));
        assertEquals(Frame.CODEC_RAW | Frame.ERROR, raw.flags());
        assertTrue(new String(raw.payload(), StandardCharsets.UTF_8).endsWith("unknown Raw payload type"));
        Frame proto = dispatcher.handle(new Frame(Frame.CODEC_PROTO, 0, new int[]{1, 6}, "kv.Has".getBytes()));
        assertEquals(Frame.CODEC_PROTO | Frame.ERROR, proto.flags());
    }

    @Test
    void gobEncodesEveryFieldAndSkipsZeroOnes() {
        // status 0 (inactive) and numExecs 0 are left out; the field delta then skips them
        WorkerStatus fresh = new WorkerStatus(7, 0, 0, 5, 0, 0, "", "inactive");
        byte[] body = Gob.workerList(List.of(fresh));
        String hex = HexFormat.of().formatHex(body);
        // value message: field 1 (Workers), 1 element; pid 7 -> 0e; created (field 4, delta 3) 5 -> 0a; statusStr delta 4
        assertTrue(hex.endsWith("ff840101010e030a0408696e61637469766500" + "00"), hex);
    }
}
