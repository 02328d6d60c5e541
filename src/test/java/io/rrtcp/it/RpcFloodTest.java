package io.rrtcp.it;

import com.eclipsesource.json.Json;
import io.rrtcp.goridge.Frame;
import io.rrtcp.goridge.FrameCodec;
import io.rrtcp.rpc.RpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One RPC client pipelines 100,000 {@code informer.Workers} frames (41 bytes each, as the probe did) and never reads
 * a reply (issue 10, item 2): the server stops reading it once its share of calls is in flight, its memory stays
 * bounded, another client is answered promptly, and the flood's queued calls are dropped when it leaves.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RpcFloodTest extends ServerTest {
    private static final int FRAMES = 100_000;
    private static final long HEAP_GROWTH_LIMIT = 32L << 20;

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static byte[] workersFrames(int count, int firstSeq) {
        byte[] method = "informer.Workers".getBytes(StandardCharsets.US_ASCII);
        byte[] body = "\"tcp\"".getBytes(StandardCharsets.US_ASCII);
        byte[] one = FrameCodec.encode(Frame.CODEC_JSON, 0, new int[]{firstSeq, method.length}, method, body);
        assertEquals(41, one.length, "the probe's frame size");
        byte[] all = new byte[one.length * count];
        for (int i = 0; i < count; i++) {
            byte[] frame = FrameCodec.encode(Frame.CODEC_JSON, 0, new int[]{firstSeq + i, method.length}, method, body);
            System.arraycopy(frame, 0, all, i * one.length, one.length);
        }
        return all;
    }

    @Test
    void aClientThatNeverReadsItsRepliesCannotExhaustMemoryOrStarveOthers() throws Exception {
        server = TestServer.in(dir).workers(2).rpc("tcp://127.0.0.1:0").start();
        InetSocketAddress rpc = new InetSocketAddress("127.0.0.1", Integer.parseInt(server.rpc().replaceAll(".*:", "")));
        long before = heapAfterGc();
        AtomicLong sent = new AtomicLong();
        AtomicInteger maxInFlight = new AtomicInteger();
        try (Socket flood = new Socket()) {
            flood.setReceiveBufferSize(4096);
            flood.connect(rpc);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = flood.getOutputStream();
                    for (int batch = 0; batch < FRAMES / 1000; batch++) {
                        out.write(workersFrames(1000, batch * 1000));
                        sent.addAndGet(1000);
                    }
                } catch (IOException e) {
                    // closed by the test at the end: expected when the server had stopped reading
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                maxInFlight.accumulateAndGet(server.server().rpcCallsInFlight(), Math::max);
                Thread.sleep(10);
            }
            long during = heapAfterGc();
            long growth = during - before;
            System.err.printf("rpc flood: %d of %d frames written, heap %d MB -> %d MB, most calls in flight %d%n",
                    sent.get(), FRAMES, before >> 20, during >> 20, maxInFlight.get());
            assertTrue(growth < HEAP_GROWTH_LIMIT, "heap grew by " + (growth >> 20) + " MB while flooded");
            assertTrue(maxInFlight.get() <= 64, "calls in flight for one connection: " + maxInFlight.get());

            long start = System.nanoTime();
            try (RpcClient other = RpcClient.connect(server.rpc())) {
                assertEquals(2, other.call("informer.Workers", Json.value("tcp")).asObject().get("workers").asArray().size());
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMs < 5_000, "another client's call took " + tookMs + " ms");

            System.err.println("rpc flood: another client's call took " + tookMs + " ms");
            flood.close();
            writer.join(Duration.ofSeconds(10));
        }
        long left = System.nanoTime();
        Await.until(() -> server.server().rpcCallsInFlight(), n -> n == 0, Duration.ofSeconds(10),
                "the flood's queued calls dropped once it left");
        System.err.println("rpc flood: calls in flight back to 0 " + (System.nanoTime() - left) / 1_000_000 + " ms after it left");
        try (RpcClient after = RpcClient.connect(server.rpc())) {
            long start = System.nanoTime();
            after.call("informer.Workers", Json.value("tcp"));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000, "RPC answers at once after the flood left");
        }
    }
}
