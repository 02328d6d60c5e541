package io.rrtcp.bench;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The full path: C clients, each on its own virtual thread and connection, sending a message and waiting for its
 * echo, as fast as they can. Counts and round-trip times are taken only in the measuring window; the server's CPU
 * time over the same window gives the cost per message.
 */
final class TcpLoad {
    /** Figures of one window; CPU per message for the server, its PHP workers and this load generator. */
    record Result(double messagesPerSecond, long p50, long p90, long p99, long max, double serverCpuMicrosPerMessage,
                  double workersCpuMicrosPerMessage, double clientCpuMicrosPerMessage,
                  double serverContextSwitchesPerMessage) {
    }

    /**
     * BENCH_CLIENTS=platform: one platform thread per client instead of a virtual thread, to see how much of a round
     * trip is the load generator's own scheduling (the default, virtual, is what the reported figures use).
     */
    private static final Thread.Builder CLIENT_THREADS = "platform".equals(System.getenv("BENCH_CLIENTS"))
            ? Thread.ofPlatform().daemon().stackSize(256 * 1024) : Thread.ofVirtual();

    /** A message of {@code size} bytes, 'p's ended by the bench servers' delimiter '\n'. */
    static byte[] message(int size) {
        byte[] m = new byte[size];
        java.util.Arrays.fill(m, (byte) 'p');
        m[size - 1] = '\n';
        return m;
    }

    private volatile boolean measuring;
    private volatile boolean stop;

    static Result run(BenchServer server, int clients, byte[] message, Duration warmup, Duration measure) throws Exception {
        return run(server, SocketFactory.getDefault(), clients, message, warmup, measure);
    }

    /** As above, with the clients' sockets from {@code sockets} (e.g. TLS). */
    static Result run(BenchServer server, SocketFactory sockets, int clients, byte[] message, Duration warmup,
                      Duration measure) throws Exception {
        return new TcpLoad().drive(server, sockets, clients, message, warmup, measure);
    }

    private Result drive(BenchServer server, SocketFactory sockets, int clients, byte[] message, Duration warmup,
                         Duration measure) throws Exception {
        List<Samples> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(clients);
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Samples mine = new Samples();
            samples.add(mine);
            threads.add(CLIENT_THREADS.start(() -> {
                try (Socket s = sockets.createSocket("127.0.0.1", server.port)) {
                    s.setTcpNoDelay(true);
                    s.setSoTimeout(30_000);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    if (s instanceof SSLSocket tls) {
                        tls.startHandshake(); // before the window: its cost is not a message's
                    }
                    connected.countDown();
                    byte[] reply = new byte[message.length];
                    while (!stop) {
                        long t = System.nanoTime();
                        out.write(message);
                        if (in.readNBytes(reply, 0, reply.length) != reply.length) {
                            throw new IOException("connection closed by the server");
                        }
                        if (measuring) {
                            mine.add(System.nanoTime() - t);
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                    connected.countDown();
                }
            }));
        }
        connected.await();
        Thread.sleep(warmup);
        long switches0 = Bench.contextSwitches(server.pid());
        long cpu0 = server.cpuNanos();
        long workers0 = server.workersCpuNanos();
        long self0 = BenchServer.cpuNanos(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        measuring = true;
        Thread.sleep(measure);
        measuring = false;
        long elapsed = System.nanoTime() - t0;
        long cpu = server.cpuNanos() - cpu0;
        long switches = Bench.contextSwitches(server.pid()) - switches0;
        long workers = server.workersCpuNanos() - workers0;
        long self = BenchServer.cpuNanos(ProcessHandle.current().pid()) - self0;
        stop = true;
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " clients failed, first: " + failures.get(0), failures.get(0));
        }
        long[] all = Samples.sortedUnion(samples);
        double seconds = elapsed / 1e9;
        return new Result(all.length / seconds, Samples.percentile(all, 50), Samples.percentile(all, 90),
                Samples.percentile(all, 99), all.length == 0 ? 0 : all[all.length - 1], perMessage(cpu, all.length),
                perMessage(workers, all.length), perMessage(self, all.length),
                all.length == 0 ? 0 : switches / (double) all.length);
    }

    private static double perMessage(long nanos, int messages) {
        return messages == 0 ? 0 : nanos / 1000.0 / messages;
    }
}
