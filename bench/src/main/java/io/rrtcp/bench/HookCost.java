package io.rrtcp.bench;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.rrtcp.ops.PoolView;
import io.rrtcp.ops.TcpMetrics;
import io.rrtcp.tcp.ServerMeter;
import io.rrtcp.tcp.TcpEvent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CPU the metrics add to one message, measured alone: what ConnectionHandler, Connection and WorkerPool call per
 * DATA event with metrics on (event, bytes in, the wait and worker time with their three clock reads, bytes out),
 * in a loop on 1 and 2 threads sharing one server's counters. The machine's noise hardly touches a loop this short,
 * so this is the figure to set against the server's CPU per message from the full benchmark.
 */
final class HookCost {
    private static final int WARMUP = 5_000_000;
    private static final int MEASURED = 20_000_000;

    private HookCost() {
    }

    /** Nanoseconds of thread CPU per message, with {@code threads} threads bumping the same counters. */
    static double nanosPerMessage(int threads) throws InterruptedException {
        ServerMeter meter = new TcpMetrics(new PrometheusRegistry(), PoolView.NONE).server("bench");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[] used = new long[threads];
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int slot = t;
            running.add(Thread.ofPlatform().start(() -> {
                loop(meter, WARMUP);
                long before = cpu.getCurrentThreadCpuTime();
                loop(meter, MEASURED);
                used[slot] = cpu.getCurrentThreadCpuTime() - before;
            }));
        }
        for (Thread t : running) {
            t.join();
        }
        long total = 0;
        for (long u : used) {
            total += u;
        }
        return (double) total / ((long) MEASURED * threads);
    }

    private static void loop(ServerMeter meter, int n) {
        for (int i = 0; i < n; i++) {
            meter.event(TcpEvent.DATA);
            meter.received(64);
            long asked = System.nanoTime();
            long lent = System.nanoTime();
            meter.waited(lent - asked);
            meter.worked(System.nanoTime() - lent + 15_000);
            meter.sent(64);
        }
    }

    static String report() throws InterruptedException {
        return String.format(Locale.ROOT, "metrics hooks per message (CPU): %.0f ns on 1 thread, %.0f ns each on 2 threads "
                + "sharing one server's counters", nanosPerMessage(1), nanosPerMessage(2));
    }
}
