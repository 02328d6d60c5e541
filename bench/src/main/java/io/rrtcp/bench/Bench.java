package io.rrtcp.bench;

import static io.rrtcp.bench.Stats.median;
import static io.rrtcp.bench.Stats.micros;
import static io.rrtcp.bench.Stats.range;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness behind {@code bin/rr-tcp-bench}: prints Markdown tables and writes an SVG chart. Figures,
 * not pass/fail. The load generator shares the machine with the server and the workers, so only ratios measured in
 * one run compare.
 *
 * <pre>
 * bench [all|throughput|compare|framing|...] [--quick] [--runs N] [--out DIR] [--after-message B] [N ...]
 * </pre>
 */
public final class Bench {
    private static final int[] CLIENTS = {1, 8, 64, 512};
    private static final int[] WORKERS = {1, 2, 4};
    private static final int[] WORK_US = {0, 100};
    private static final int MESSAGE = 64;
    private static final String USAGE = """
            usage: bin/rr-tcp-bench [all|throughput|compare|framing|tls|large|idle|startup|kv|hooks] [--quick] [--runs N] [--out DIR]
                   bin/rr-tcp-bench idle [--after-message BYTES] [--plain-only] [N ...]
                   bin/rr-tcp-bench profile [W C WORK_US]
                   bin/rr-tcp-bench hooks       (CPU the metrics add per message, measured alone)
                   bin/rr-tcp-bench syscalls    (strace -c of the server: syscalls per message, WORK_US 0 and 100)
            env: BENCH_RELAY=pipes|unix|tcp, BENCH_CLIENTS=virtual|platform, BENCH_CLIENT_CARRIERS=N, BENCH_OPS=1,
                 RR_TCP_JAVA_OPTS (server JVM), NO_JFR=1, THREADS=1 and BENCH_TLS=1 (profile),
                 RR_PEER=path of a RoadRunner binary (compare: its columns are skipped without it)""";

    private final Options o;
    private final StringBuilder report = new StringBuilder();

    private Bench(Options o) {
        this.o = o;
    }

    record Options(String mode, boolean quick, int runs, Path out, int afterMessage, List<Integer> counts,
                   boolean plainOnly) {
        Duration warmup() {
            return Duration.ofMillis(quick ? 500 : 1000);
        }

        Duration measure() {
            return Duration.ofMillis(quick ? 1500 : 3000);
        }

        static Options parse(String[] args) {
            String mode = "all";
            boolean quick = false;
            int runs = 3;
            int after = 0;
            boolean plainOnly = false;
            Path out = BenchServer.ROOT.resolve("target/bench/report");
            List<Integer> counts = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        System.exit(0);
                    }
                    case "--quick" -> quick = true;
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--after-message" -> after = Integer.parseInt(args[++i]);
                    case "--plain-only" -> plainOnly = true;
                    case "all", "throughput", "compare", "framing", "tls", "large", "idle", "startup", "profile", "kv",
                         "hooks", "syscalls" ->
                            mode = args[i];
                    default -> {
                        if (!args[i].matches("\\d+")) {
                            System.err.println("rr-tcp-bench: unknown argument '" + args[i] + "'\n" + USAGE);
                            System.exit(2);
                        }
                        counts.add(Integer.parseInt(args[i]));
                    }
                }
            }
            return new Options(mode, quick, quick ? Math.min(runs, 2) : runs, out, after, counts, plainOnly);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        new Bench(o).run();
    }

    private void run() throws Exception {
        Files.createDirectories(o.out());
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores shared by the load generator, the server "
                + "and the PHP workers; JDK " + Runtime.version() + "; " + php() + ". Only ratios within one run compare.");
        line("");
        switch (o.mode()) {
            case "throughput" -> throughput();
            case "compare" -> new PeerCompare(o, MESSAGE, this::line).run();
            case "framing" -> new FramingBench(o, this::line).run();
            case "tls" -> TlsEcho.report(o, MESSAGE, this::line);
            case "large" -> large();
            case "idle" -> idle();
            case "startup" -> startup();
            case "profile" -> profile();
            case "kv" -> kv();
            case "hooks" -> line(HookCost.report());
            case "syscalls" -> new SyscallCount(o, MESSAGE, this::line).run();
            default -> {
                throughput();
                new PeerCompare(o, MESSAGE, this::line).run();
                new FramingBench(o, this::line).run();
                TlsEcho.report(o, MESSAGE, this::line);
                large();
                idle();
                startup();
                kv();
            }
        }
        Files.writeString(o.out().resolve("benchmarks.md"), report);
        System.out.println("(report written to " + o.out().resolve("benchmarks.md") + ")");
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }

    private static String php() {
        try {
            Process p = new ProcessBuilder("php", "-r", "echo PHP_VERSION;").start();
            return "PHP " + new String(p.getInputStream().readAllBytes()).trim();
        } catch (Exception e) {
            return "PHP ?";
        }
    }

    // ---- throughput and latency -------------------------------------------------------------------------------

    record Point(int workUs, int workers, int clients) {
    }

    private void throughput() throws Exception {
        byte[] message = new byte[MESSAGE];
        Arrays.fill(message, (byte) 'p');
        message[MESSAGE - 1] = '\n';
        Map<Point, List<TcpLoad.Result>> full = new LinkedHashMap<>();
        Map<String, List<RawWorkers.Result>> raw = new LinkedHashMap<>();
        for (int run = 0; run < o.runs(); run++) {
            for (int work : WORK_US) {
                for (int w : WORKERS) {
                    raw.computeIfAbsent(work + "/" + w, k -> new ArrayList<>())
                            .add(RawWorkers.run(w, work, message, o.warmup(), o.measure()));
                    try (BenchServer server = BenchServer.start(w, work, "", "")) {
                        for (int c : CLIENTS) {
                            full.computeIfAbsent(new Point(work, w, c), k -> new ArrayList<>())
                                    .add(TcpLoad.run(server, c, message, o.warmup(), o.measure()));
                        }
                    }
                    System.err.printf("run %d/%d: WORK_US=%d W=%d done%n", run + 1, o.runs(), work, w);
                }
            }
        }
        line("### Throughput and round trip (64-byte messages, echo worker; medians of " + o.runs() + " runs, min–max)");
        line("");
        line("| WORK_US | W | C | raw msg/s | full msg/s | full / raw | p50 µs | p90 µs | p99 µs | max µs | server CPU µs/msg "
                + "| workers CPU µs/msg | clients CPU µs/msg |");
        line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<double[]> chart = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (var e : full.entrySet()) {
            Point p = e.getKey();
            List<TcpLoad.Result> rs = e.getValue();
            List<RawWorkers.Result> rr = raw.get(p.workUs() + "/" + p.workers());
            double rawRate = median(rr, RawWorkers.Result::messagesPerSecond);
            double rate = median(rs, TcpLoad.Result::messagesPerSecond);
            line(String.format(Locale.ROOT, "| %d | %d | %d | %s | %s | %.2f | %s | %s | %s | %s | %s | %.1f | %.1f |",
                    p.workUs(), p.workers(), p.clients(), range(rr, RawWorkers.Result::messagesPerSecond, 0),
                    range(rs, TcpLoad.Result::messagesPerSecond, 0), rate / rawRate,
                    micros(rs, TcpLoad.Result::p50), micros(rs, TcpLoad.Result::p90), micros(rs, TcpLoad.Result::p99),
                    micros(rs, TcpLoad.Result::max), range(rs, TcpLoad.Result::serverCpuMicrosPerMessage, 1),
                    median(rs, TcpLoad.Result::workersCpuMicrosPerMessage),
                    median(rs, TcpLoad.Result::clientCpuMicrosPerMessage)));
            chart.add(new double[]{rawRate, rate});
            labels.add("W" + p.workers() + " C" + p.clients() + (p.workUs() > 0 ? " +" + p.workUs() + "µs" : ""));
        }
        line("");
        line("Raw p50 per exchange (one worker, echo): " + micros(raw.get("0/1"), r -> r.p50Nanos())
                + " µs; the raw driver's own CPU per exchange (a platform thread per worker, blocking pipe reads and "
                + "writes, no sockets): " + String.format(Locale.ROOT, "%.1f", median(raw.get("0/2"),
                RawWorkers.Result::driverCpuMicrosPerMessage)) + " µs at W=2.");
        line("");
        Files.writeString(o.out().resolve("throughput.svg"), Svg.bars("rr-tcp full path vs raw PHP worker rate (msg/s)",
                labels, chart, new String[]{"raw workers", "rr-tcp"}));
        line("![throughput](throughput.svg)");
        line("");
        relays(message);
    }

    /** Echo at W=2 with C=1 and C=64 over each relay, servers started in turn within each run. */
    private void relays(byte[] message) throws Exception {
        String[] kinds = {"pipes", "unix", "tcp"};
        int[] clients = {1, 64};
        Map<String, List<TcpLoad.Result>> results = new LinkedHashMap<>();
        for (int run = 0; run < o.runs(); run++) {
            for (String kind : kinds) {
                try (BenchServer server = BenchServer.start(kind, 2, 0, "", "")) {
                    for (int c : clients) {
                        results.computeIfAbsent(kind + "/" + c, k -> new ArrayList<>())
                                .add(TcpLoad.run(server, c, message, o.warmup(), o.measure()));
                    }
                }
            }
        }
        line("### Relays (echo, W=2; `server.relay`; medians of " + o.runs() + " runs, min–max)");
        line("");
        line("| relay | C | full msg/s | p50 µs | server CPU µs/msg | workers CPU µs/msg | clients CPU µs/msg |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (var e : results.entrySet()) {
            String[] key = e.getKey().split("/");
            List<TcpLoad.Result> rs = e.getValue();
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.1f |", key[0], key[1],
                    range(rs, TcpLoad.Result::messagesPerSecond, 0), micros(rs, TcpLoad.Result::p50),
                    range(rs, TcpLoad.Result::serverCpuMicrosPerMessage, 1),
                    median(rs, TcpLoad.Result::workersCpuMicrosPerMessage),
                    median(rs, TcpLoad.Result::clientCpuMicrosPerMessage)));
        }
        line("");
    }

    /**
     * One load point (W, C, WORK_US from the numbers given, default 2 64 0) for 10 s against a server recording JFR
     * (target/bench/report/profile.jfr), to see where the server's time goes.
     */
    private void profile() throws Exception {
        List<Integer> n = o.counts();
        int w = n.size() > 0 ? n.get(0) : 2;
        int c = n.size() > 1 ? n.get(1) : 64;
        int work = n.size() > 2 ? n.get(2) : 0;
        byte[] message = new byte[MESSAGE];
        Arrays.fill(message, (byte) 'p');
        message[MESSAGE - 1] = '\n';
        Path jfr = o.out().resolve("profile.jfr").toAbsolutePath();
        String[] recording = System.getenv("NO_JFR") != null ? new String[0]
                : new String[]{"-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true"};
        BenchTls tls = System.getenv("BENCH_TLS") != null ? BenchTls.create() : null;
        try (BenchServer server = BenchServer.start(w, work, tls == null ? "" : tls.yaml(), "", recording)) {
            TcpLoad.Result r = TcpLoad.run(server, tls == null ? javax.net.SocketFactory.getDefault() : tls.clients, c,
                    message, Duration.ofSeconds(2), Duration.ofSeconds(10));
            if (System.getenv("THREADS") != null) {
                threadTimes(server.pid());
            }
            line(String.format(Locale.ROOT, "W=%d C=%d WORK_US=%d: %,.0f msg/s, p50 %d µs, CPU µs/msg: server %.1f, "
                            + "workers %.1f, clients %.1f; server context switches/msg %.2f; JFR: %s", w, c, work,
                    r.messagesPerSecond(), r.p50() / 1000, r.serverCpuMicrosPerMessage(), r.workersCpuMicrosPerMessage(),
                    r.clientCpuMicrosPerMessage(), r.serverContextSwitchesPerMessage(), jfr));
        }
    }

    /**
     * Context switches (voluntary and not) of all the server's threads so far: each voluntary one is a thread that
     * went to sleep (and someone's wake-up later).
     */
    static long contextSwitches(long pid) throws java.io.IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    for (String l : Files.readAllLines(t.resolve("status"))) {
                        if (l.startsWith("voluntary_ctxt_switches:") || l.startsWith("nonvoluntary_ctxt_switches:")) {
                            sum += Long.parseLong(l.substring(l.indexOf(':') + 1).trim());
                        }
                    }
                } catch (java.io.IOException gone) {
                    // a thread that ended between the listing and the read
                }
            }
        }
        return sum;
    }

    /** CPU ticks per thread of the server, busiest first (where the server's CPU goes). */
    private static void threadTimes(long pid) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                String stat = Files.readString(t.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long user = Long.parseLong(f[11]);
                long sys = Long.parseLong(f[12]);
                rows.add(String.format(Locale.ROOT, "%6d %6d %s", user + sys, sys, name));
            }
        }
        rows.sort(java.util.Comparator.reverseOrder());
        System.out.println(" ticks    sys thread");
        rows.stream().limit(14).forEach(System.out::println);
    }

    // ---- large messages, idle connections, start-up ----------------------------------------------------------

    private void large() throws Exception {
        line("### Large messages (echo, one worker; heap growth = highest heap use sampled every ms during the round trip"
                + " − heap after a GC before it)");
        line("");
        line("| message | MB/s (size ÷ round trip) | server heap growth | growth ÷ message | pool peaks ÷ message (upper bound) |");
        line("|---:|---:|---:|---:|---:|");
        try (BenchServer server = BenchServer.start(1, 0, "max_message_size: 256", "")) {
            for (int size : new int[]{1 << 20, 64 << 20}) {
                List<LargeMessages.Result> rs = new ArrayList<>();
                for (int i = 0; i < o.runs(); i++) {
                    rs.add(LargeMessages.measure(server, size));
                }
                double growth = median(rs, r -> r.heapGrowth());
                double poolPeaks = median(rs, r -> r.poolPeakGrowth());
                line(String.format(Locale.ROOT, "| %d MiB | %s | %.1f MiB | %.2f | %.2f |", size >> 20,
                        range(rs, LargeMessages.Result::megabytesPerSecond, 1), growth / 1048576.0, growth / size,
                        poolPeaks / size));
            }
        }
        line("");
    }

    private void idle() throws Exception {
        List<Integer> counts = o.counts().isEmpty() ? List.of(1_000, 10_000) : o.counts();
        BenchTls tls = o.plainOnly() ? null : BenchTls.create();
        line("### Idle connections (server RSS after a full GC, minus the same server before them)"
                + (o.afterMessage() > 0 ? "; each first sent and received " + o.afterMessage() + " bytes" : ""));
        line("");
        line("| idle connections | transport | RSS before | RSS after | RSS per connection | heap per connection |");
        line("|---:|---|---:|---:|---:|---:|");
        for (int n : counts) {
            for (BenchTls transport : tls == null ? new BenchTls[]{null} : new BenchTls[]{null, tls}) {
                IdleConnections.Result r = IdleConnections.measure(n, o.afterMessage(), transport);
                line(String.format(Locale.ROOT, "| %,d | %s | %.1f MiB | %.1f MiB | %,d B (%.1f KiB) | %,d B |", n,
                        transport == null ? "plain" : "TLS 1.3, greeted", r.rssBefore() / 1048576.0, r.rssAfter() / 1048576.0,
                        r.rssPerConnection(), r.rssPerConnection() / 1024.0, r.heapPerConnection()));
            }
        }
        line("");
    }

    private void startup() throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < Math.max(3, o.runs()); i++) {
            try (BenchServer server = BenchServer.start(4, 0, "", "")) {
                ms.add(server.startupNanos / 1e6);
            }
        }
        line("### Start-up (process start → listeners accepting, 4 workers ready)");
        line("");
        line(String.format(Locale.ROOT, "| runs | median | min–max |%n|---:|---:|---:|%n| %d | %.0f ms | %.0f–%.0f ms |",
                ms.size(), median(ms, d -> d), ms.stream().mapToDouble(d -> d).min().orElse(0),
                ms.stream().mapToDouble(d -> d).max().orElse(0)));
        line("");
    }

    // ---- kv ----------------------------------------------------------------------------------------------------

    private void kv() throws Exception {
        Path dir = Files.createTempDirectory("rr-tcp-bench-kv");
        int redisPort = BenchServer.freePort();
        Process redis = KvBench.startRedis(dir, redisPort);
        String rpc = "tcp://127.0.0.1:" + BenchServer.freePort();
        String yaml = "rpc:\n  listen: " + rpc + "\nkv:\n  mem:\n    driver: memory\n"
                + (redis == null ? "" : "  red:\n    driver: redis\n    config:\n      addrs: [\"127.0.0.1:" + redisPort + "\"]\n");
        List<String> storages = redis == null ? List.of("-", "mem") : List.of("-", "mem", "red");
        Map<String, List<KvBench.Result>> results = new LinkedHashMap<>();
        try (BenchServer server = BenchServer.startWithSections(yaml)) {
            for (int run = 0; run < o.runs(); run++) {
                for (String storage : storages) {
                    for (int c : new int[]{1, 4}) {
                        results.computeIfAbsent(storage + "/" + c, k -> new ArrayList<>())
                                .add(KvBench.run(server, rpc, storage, c, o.measure()));
                    }
                }
                System.err.printf("kv run %d/%d done%n", run + 1, o.runs());
            }
        } finally {
            if (redis != null) {
                redis.destroy();
                redis.waitFor();
            }
        }
        line("### KV from PHP over RPC (kv.Set + kv.MGet of one 64-byte value = one pair = two round trips, protobuf; "
                + "medians of " + o.runs() + " runs, min–max)");
        line("");
        line("| storage | PHP clients | pairs/s | RPC calls/s | p50 µs/pair | p99 µs/pair | server CPU µs/pair | pairs/s ÷ baseline |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var e : results.entrySet()) {
            String[] key = e.getKey().split("/");
            List<KvBench.Result> rs = e.getValue();
            double base = median(results.get("-/" + key[1]), KvBench.Result::pairsPerSecond);
            double rate = median(rs, KvBench.Result::pairsPerSecond);
            String name = switch (key[0]) {
                case "-" -> "baseline: 2 × rpc.Version (JSON)";
                case "mem" -> "memory";
                default -> "redis (local redis-server)";
            };
            line(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %.0f | %.0f | %.1f | %.2f |", name, key[1],
                    range(rs, KvBench.Result::pairsPerSecond, 0), rate * 2, median(rs, KvBench.Result::p50Micros),
                    median(rs, KvBench.Result::p99Micros), median(rs, KvBench.Result::serverCpuMicrosPerPair), rate / base));
        }
        if (redis == null) {
            line("");
            line("(no redis-server installed: the redis rows are missing; apt-get install redis-server)");
        }
        line("");
    }
}
