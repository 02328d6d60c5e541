package io.rrtcp.bench;

import com.sun.tools.attach.VirtualMachine;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code rr-tcp serve} in its own JVM, as a user runs it, plus what the benchmarks read from it: start-up time, CPU
 * time and RSS from /proc, heap figures over JMX (attached locally).
 */
final class BenchServer implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("rrtcp.root", ".")).toAbsolutePath().normalize();
    private static final long CLOCK_TICK_NANOS = 10_000_000; // USER_HZ = 100 on Linux

    final int port;
    final long startupNanos;
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private JMXConnector jmx;
    private volatile MemoryMXBean memory;

    private BenchServer(Process process, int port, long startupNanos) {
        this.process = process;
        this.port = port;
        this.startupNanos = startupNanos;
    }

    /** BENCH_OPS=1: with the status and metrics endpoints on (metrics count every message), to measure their cost. */
    private static final String OPS_SECTIONS = "1".equals(System.getenv("BENCH_OPS"))
            ? "status:\n  address: 127.0.0.1:0\nmetrics:\n  address: 127.0.0.1:0\n" : "";

    /** Writes a config with one server "bench" (delimiter "\n") and starts serve on it. */
    static BenchServer start(int workers, int workUs, String extraServerYaml, String greeting, String... jvmOptions)
            throws Exception {
        return start(DEFAULT_RELAY, workers, workUs, extraServerYaml, greeting, jvmOptions);
    }

    /** As above, with the workers on the given relay kind (pipes, unix or tcp). */
    static BenchServer start(String relayKind, int workers, int workUs, String extraServerYaml, String greeting,
                             String... jvmOptions) throws Exception {
        return launch(relayKind, DELIMITER, workers, workUs, extraServerYaml, greeting, "", jvmOptions);
    }

    /**
     * The real RoadRunner ({@code rrPeer serve}, see {@link PeerCompare}) on the same config, worker script and
     * relay as {@link #start(int, int, String, String, String...)}, logging errors only (its default level logs
     * every event).
     */
    static BenchServer peer(Path rrPeer, int workers, int workUs) throws Exception {
        return launch(rrPeer, DEFAULT_RELAY, DELIMITER, workers, workUs, "", "", "", new String[0]);
    }

    /** One worker on pipes, and {@code rootYaml} (whole top-level sections, e.g. rpc and kv) added to the config. */
    static BenchServer startWithSections(String rootYaml) throws Exception {
        return launch("pipes", DELIMITER, 1, 0, "", "", rootYaml, new String[0]);
    }

    /** The server "bench" framed by {@code framingYaml} (e.g. {@code framing: length} and its length section). */
    static BenchServer framed(String framingYaml, int workers) throws Exception {
        return launch(DEFAULT_RELAY, framingYaml, workers, 0, "", "", "", new String[0]);
    }

    private static final String DELIMITER = "delimiter: \"\\n\"";

    private static BenchServer launch(String relayKind, String framingYaml, int workers, int workUs,
                                      String extraServerYaml, String greeting, String rootYaml, String[] jvmOptions)
            throws Exception {
        return launch(null, relayKind, framingYaml, workers, workUs, extraServerYaml, greeting, rootYaml, jvmOptions);
    }

    /** {@code rrPeer} null: rr-tcp serve in its own JVM; otherwise that RoadRunner binary's serve. */
    private static BenchServer launch(Path rrPeer, String relayKind, String framingYaml, int workers, int workUs,
                                      String extraServerYaml, String greeting, String rootYaml, String[] jvmOptions)
            throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("rr-tcp-bench");
        Path config = dir.resolve(".rr.yaml");
        Files.writeString(config, """
                version: '3'
                server:
                  command: "php %s"
                  relay: "%s"
                  env:
                    WORK_US: "%d"
                    GREETING: "%s"
                logs:
                  %s
                tcp:
                  servers:
                    bench:
                      addr: 127.0.0.1:%d
                %s
                %s
                  pool:
                    num_workers: %d
                %s""".formatted(ROOT.resolve("test-workers/bench-worker.php"), relay(relayKind, dir), workUs, greeting,
                rrPeer == null ? "level: warn" : "{mode: production, level: error}", port,
                framingYaml.indent(6).stripTrailing(), extraServerYaml.indent(6).stripTrailing(), workers,
                rootYaml + (rrPeer == null ? OPS_SECTIONS : ""))); // the peer is built without status and metrics
        List<String> cmd = rrPeer == null ? rrTcpCommand(config, jvmOptions)
                : List.of(rrPeer.toString(), "serve", "-c", config.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // gone
            }
        });
        long startup;
        try {
            startup = awaitAccepting(p, port, t0, lines);
        } catch (Exception e) {
            // never leave a half-started server (and its workers) behind
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            throw e;
        }
        BenchServer server = new BenchServer(p, port, startup);
        synchronized (lines) {
            server.output.addAll(lines);
        }
        return server;
    }

    /** rr-tcp serve in a JVM of its own, with the options {@code java -jar} would give it. */
    private static List<String> rrTcpCommand(Path config, String[] jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(io.rrtcp.worker.PipeChannels.JVM_OPTIONS); // what the jar's manifest gives to java -jar
        cmd.addAll(defaultJvmOptions()); // what bin/rr-tcp gives it
        String opts = System.getenv().getOrDefault("RR_TCP_JAVA_OPTS", "").trim();
        if (!opts.isEmpty()) {
            cmd.addAll(List.of(opts.split("\\s+")));
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.rrtcp.cli.Main", "serve", "-c",
                config.toString()));
        return cmd;
    }

    /** The options bin/rr-tcp starts the server with, from bin/rr-tcp.jvm-options ('#' starts a comment). */
    static List<String> defaultJvmOptions() {
        try {
            return Files.readAllLines(ROOT.resolve("bin/rr-tcp.jvm-options")).stream()
                    .map(line -> line.replaceAll("#.*", "").trim()).filter(line -> !line.isEmpty())
                    .flatMap(line -> java.util.Arrays.stream(line.split("\\s+"))).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the server's JVM options", e);
        }
    }

    /**
     * Time from process start until the listener accepts: rr-tcp binds its listeners only once every worker is
     * ready, so the first successful connect marks "listeners accepting, workers ready".
     */
    private static long awaitAccepting(Process p, int port, long t0, List<String> lines) throws Exception {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return System.nanoTime() - t0;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    synchronized (lines) {
                        throw new IllegalStateException("server exited: " + String.join("\n", lines));
                    }
                }
                Thread.sleep(2);
            }
        }
        throw new IllegalStateException("server not accepting after 60 s: " + String.join("\n", lines));
    }

    /** BENCH_RELAY=unix|tcp|pipes (default pipes): how the server talks to its workers. */
    static final String DEFAULT_RELAY = System.getenv().getOrDefault("BENCH_RELAY", "pipes");

    private static String relay(String kind, Path dir) throws IOException {
        return switch (kind) {
            case "unix" -> "unix://" + dir.resolve("relay.sock");
            case "tcp" -> "tcp://127.0.0.1:" + freePort();
            default -> "pipes";
        };
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU time of the server process (its workers not included), from /proc/PID/stat. */
    long cpuNanos() throws IOException {
        return cpuNanos(pid());
    }

    /** User + system CPU time of the server's worker processes (its children), 0 for one that is gone. */
    long workersCpuNanos() {
        return ProcessHandle.of(pid()).stream().flatMap(ProcessHandle::children).mapToLong(h -> {
            try {
                return cpuNanos(h.pid());
            } catch (IOException e) {
                return 0;
            }
        }).sum();
    }

    /** User + system CPU time of any process of ours, from /proc/PID/stat. */
    static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NANOS;
    }

    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid());
    }

    private MBeanServerConnection mbeans() throws Exception {
        if (jmx == null) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
            try {
                jmx = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
        }
        return jmx.getMBeanServerConnection();
    }

    /** The server's memory bean, made once (heapUsed() is called every millisecond while large messages run). */
    private MemoryMXBean memory() throws Exception {
        if (memory == null) {
            memory = JMX.newMXBeanProxy(mbeans(), new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME), MemoryMXBean.class);
        }
        return memory;
    }

    /** Full GC in the server, then heap in use. */
    long heapAfterGc() throws Exception {
        memory().gc();
        memory().gc();
        return heapUsed();
    }

    /** Heap in use now (no GC). */
    long heapUsed() throws Exception {
        return memory().getHeapMemoryUsage().getUsed();
    }

    private List<MemoryPoolMXBean> heapPools() throws Exception {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        Set<ObjectName> names = mbeans().queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null);
        for (ObjectName name : names) {
            MemoryPoolMXBean pool = JMX.newMXBeanProxy(mbeans(), name, MemoryPoolMXBean.class);
            if (pool.getType() == MemoryType.HEAP) {
                pools.add(pool);
            }
        }
        return pools;
    }

    void resetHeapPeaks() throws Exception {
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
    }

    /** The sum of the heap pools' peak use since the last reset (an upper bound of the real peak). */
    long heapPeak() throws Exception {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    @Override
    public void close() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
