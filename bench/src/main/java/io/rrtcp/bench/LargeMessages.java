package io.rrtcp.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One message of a given size through the whole path and back (echo worker): throughput from one round trip, the
 * server's heap peak from another (the heap sampling over JMX costs the server CPU).
 */
final class LargeMessages {
    /**
     * @param heapGrowth     the highest heap use sampled during the round trip (every millisecond, over JMX) minus
     *                       the heap after a GC before it: each object counted once
     * @param poolPeakGrowth the sum of the heap pools' peaks minus the same base: an upper bound, since an object that
     *                       a young collection moves counts in two pools
     */
    record Result(int size, double megabytesPerSecond, long heapGrowth, long poolPeakGrowth) {
    }

    static Result measure(BenchServer server, int size) throws Exception {
        byte[] message = new byte[size];
        Arrays.fill(message, (byte) 'L');
        message[size - 1] = '\n';
        byte[] reply = new byte[size];
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            roundTrip(message, reply, out, in); // warm-up
            long t0 = System.nanoTime();
            roundTrip(message, reply, out, in); // timed, with nothing else going on
            double seconds = (System.nanoTime() - t0) / 1e9;
            long base = server.heapAfterGc();
            server.resetHeapPeaks();
            AtomicLong sampled = new AtomicLong(base);
            AtomicBoolean done = new AtomicBoolean();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!done.get()) {
                        sampled.accumulateAndGet(server.heapUsed(), Math::max);
                        Thread.sleep(1);
                    }
                } catch (Exception e) {
                    sampled.set(Long.MIN_VALUE); // no figure rather than a wrong one
                }
            });
            roundTrip(message, reply, out, in); // the heap's
            done.set(true);
            sampler.join();
            long poolPeaks = server.heapPeak() - base;
            if (sampled.get() == Long.MIN_VALUE) {
                throw new IllegalStateException("heap sampling over JMX failed");
            }
            return new Result(size, size / 1048576.0 / seconds, sampled.get() - base, poolPeaks);
        }
    }

    private static void roundTrip(byte[] message, byte[] reply, OutputStream out, InputStream in) throws Exception {
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(message);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        if (in.readNBytes(reply, 0, reply.length) != reply.length || !Arrays.equals(message, reply)) {
            throw new IllegalStateException("echo differs");
        }
        writer.join();
    }
}
