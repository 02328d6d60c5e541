package io.rrtcp.bench;

import io.rrtcp.goridge.Payload;
import io.rrtcp.worker.WorkerException;
import io.rrtcp.worker.WorkerProcess;
import io.rrtcp.worker.WorkerSpec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limit: W php workers driven directly over their pipes with goridge frames, one platform thread per worker,
 * nothing else in the way. Same worker script and message as the full path.
 */
final class RawWorkers {
    /** Rate, p50 per exchange, and the driver threads' own CPU per exchange (blocking pipe I/O, nothing else). */
    record Result(double messagesPerSecond, long p50Nanos, double driverCpuMicrosPerMessage) {
    }

    static Result run(int workers, int workUs, byte[] message, Duration warmup, Duration measure) throws Exception {
        WorkerSpec spec = new WorkerSpec(List.of("php", BenchServer.ROOT.resolve("test-workers/bench-worker.php").toString()),
                Map.of("RR_MODE", "tcp", "RR_RELAY", "pipes", "WORK_US", Integer.toString(workUs)),
                BenchServer.ROOT, Duration.ofSeconds(60), Duration.ofSeconds(5), WorkerSpec.DEFAULT_MAX_PAYLOAD);
        byte[] context = ("{\"remote_addr\":\"127.0.0.1:50000\",\"server\":\"bench\",\"uuid\":"
                + "\"f47ac10b-58cc-4372-a567-0e02b2c3d479\",\"event\":\"DATA\"}").getBytes(StandardCharsets.UTF_8);
        List<WorkerProcess> procs = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            procs.add(WorkerProcess.start(spec));
        }
        long[] counts = new long[workers];
        long[] cpu = new long[workers];
        java.lang.management.ThreadMXBean threadCpu = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Samples> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long measureStart = System.nanoTime() + warmup.toNanos();
        long end = measureStart + measure.toNanos();
        try {
            for (int i = 0; i < workers; i++) {
                int id = i;
                Samples mine = new Samples();
                samples.add(mine);
                threads.add(Thread.ofPlatform().start(() -> {
                    WorkerProcess w = procs.get(id);
                    long cpuAtStart = -1;
                    try {
                        while (true) {
                            long t = System.nanoTime();
                            if (t >= measureStart && cpuAtStart < 0) {
                                cpuAtStart = threadCpu.getCurrentThreadCpuTime();
                            }
                            if (t >= end) {
                                cpu[id] = cpuAtStart < 0 ? 0 : threadCpu.getCurrentThreadCpuTime() - cpuAtStart;
                                return;
                            }
                            w.exec(new Payload(context, message));
                            if (t >= measureStart) {
                                counts[id]++;
                                mine.add(System.nanoTime() - t);
                            }
                        }
                    } catch (WorkerException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            procs.forEach(WorkerProcess::stop);
        }
        long total = 0;
        long cpuTotal = 0;
        for (int i = 0; i < workers; i++) {
            total += counts[i];
            cpuTotal += cpu[i];
        }
        return new Result(total / (measure.toNanos() / 1e9), Samples.percentile(Samples.sortedUnion(samples), 50),
                total == 0 ? 0 : cpuTotal / 1000.0 / total);
    }
}
