package io.rrtcp.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/** One message of a given size through the whole path and back (echo worker): throughput and the server's heap peak. */
final class LargeMessages {
    record Result(int size, double megabytesPerSecond, long heapGrowth) {
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
            long base = server.heapAfterGc();
            server.resetHeapPeaks();
            long t0 = System.nanoTime();
            roundTrip(message, reply, out, in);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long growth = server.heapPeak() - base;
            return new Result(size, size / 1048576.0 / seconds, growth);
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
