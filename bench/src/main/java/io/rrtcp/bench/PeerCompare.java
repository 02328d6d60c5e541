package io.rrtcp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * rr-tcp beside the real RoadRunner ({@code bin/rr-tcp-bench compare}): the same config, the same PHP worker script,
 * the same load generator and W=2 workers, both servers started in turn within each run (which one goes first
 * alternates), plus the raw worker rate of that run. The RoadRunner binary is a reference tool, never part of rr-tcp:
 * its path comes from {@code RR_PEER}, and without it the RoadRunner columns are skipped, saying so.
 */
final class PeerCompare {
    private static final int WORKERS = 2;
    private static final int[] WORK_US = {0, 100};
    private static final int[] CLIENTS = {64, 1};

    private final Bench.Options o;
    private final Consumer<String> line;
    private final byte[] message;

    PeerCompare(Bench.Options o, int messageSize, Consumer<String> line) {
        this.o = o;
        this.line = line;
        this.message = TcpLoad.message(messageSize);
    }

    /** The RoadRunner binary from RR_PEER, or null after saying why there is none. */
    private Path peer() {
        String env = System.getenv("RR_PEER");
        if (env == null || env.isBlank()) {
            line.accept("(RR_PEER is not set: the RoadRunner columns are skipped. Point it at a RoadRunner binary "
                    + "built with the tcp plugin, e.g. `RR_PEER=/work/shared/peer/rr-peer`.)");
            return null;
        }
        Path p = Path.of(env).toAbsolutePath();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            line.accept("(RR_PEER=" + env + " is not an executable file: the RoadRunner columns are skipped.)");
            return null;
        }
        return p;
    }

    void run() throws Exception {
        Path peer = peer();
        Map<String, List<RawWorkers.Result>> raw = new LinkedHashMap<>();
        Map<String, List<TcpLoad.Result>> rrTcp = new LinkedHashMap<>();
        Map<String, List<TcpLoad.Result>> upstream = new LinkedHashMap<>();
        for (int run = 0; run < o.runs(); run++) {
            for (int work : WORK_US) {
                raw.computeIfAbsent(Integer.toString(work), k -> new ArrayList<>())
                        .add(RawWorkers.run(WORKERS, work, message, o.warmup(), o.measure()));
                boolean peerFirst = peer != null && run % 2 == 1; // the machine drifts: alternate who goes first
                if (peerFirst) {
                    measure(BenchServer.peer(peer, WORKERS, work), work, upstream);
                }
                measure(BenchServer.start(WORKERS, work, "", ""), work, rrTcp);
                if (peer != null && !peerFirst) {
                    measure(BenchServer.peer(peer, WORKERS, work), work, upstream);
                }
                System.err.printf("compare run %d/%d: WORK_US=%d done%n", run + 1, o.runs(), work);
            }
        }
        line.accept("### rr-tcp and RoadRunner side by side (64-byte echo, W=2; medians of " + o.runs()
                + " runs, min–max; ratios are medians of each run's ratio)");
        line.accept("");
        line.accept("RoadRunner: " + (peer == null ? "skipped (no RR_PEER)" : version(peer)));
        line.accept("");
        line.accept("| WORK_US | C | raw msg/s | rr-tcp msg/s | RR msg/s | rr-tcp ÷ RR | rr-tcp ÷ raw | RR ÷ raw "
                + "| rr-tcp p50 µs | RR p50 µs | p50 ÷ | rr-tcp server CPU µs/msg | RR server CPU µs/msg | CPU ÷ "
                + "| rr-tcp workers CPU µs/msg | RR workers CPU µs/msg "
                + "| rr-tcp server context switches/msg | RR server context switches/msg |");
        line.accept("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var e : rrTcp.entrySet()) {
            String[] key = e.getKey().split("/");
            List<TcpLoad.Result> ours = e.getValue();
            List<TcpLoad.Result> theirs = upstream.getOrDefault(e.getKey(), List.of());
            List<RawWorkers.Result> limit = raw.get(key[0]);
            List<Double> rawRates = limit.stream().map(RawWorkers.Result::messagesPerSecond).toList();
            line.accept(String.join(" | ", "| " + key[0], key[1],
                    Stats.range(limit, RawWorkers.Result::messagesPerSecond, 0),
                    Stats.range(ours, TcpLoad.Result::messagesPerSecond, 0),
                    orDash(theirs, () -> Stats.range(theirs, TcpLoad.Result::messagesPerSecond, 0)),
                    ratio(ours, theirs, TcpLoad.Result::messagesPerSecond),
                    ratioTo(ours, rawRates), orDash(theirs, () -> ratioTo(theirs, rawRates)),
                    Stats.micros(ours, TcpLoad.Result::p50),
                    orDash(theirs, () -> Stats.micros(theirs, TcpLoad.Result::p50)),
                    ratio(ours, theirs, r -> r.p50()),
                    Stats.range(ours, TcpLoad.Result::serverCpuMicrosPerMessage, 1),
                    orDash(theirs, () -> Stats.range(theirs, TcpLoad.Result::serverCpuMicrosPerMessage, 1)),
                    ratio(ours, theirs, TcpLoad.Result::serverCpuMicrosPerMessage),
                    fixed(Stats.median(ours, TcpLoad.Result::workersCpuMicrosPerMessage)),
                    orDash(theirs, () -> fixed(Stats.median(theirs, TcpLoad.Result::workersCpuMicrosPerMessage))),
                    fixed2(Stats.median(ours, TcpLoad.Result::serverContextSwitchesPerMessage)),
                    orDash(theirs, () -> fixed2(Stats.median(theirs, TcpLoad.Result::serverContextSwitchesPerMessage))))
                    + " |");
        }
        line.accept("");
    }

    /**
     * Both client counts against one server, then the server stopped. First a discarded warm-up at the highest
     * client count, the same for both servers: a freshly started JVM runs interpreted code for seconds, and a server
     * in service is warm (measured without it, rr-tcp's first point came out at three times its server CPU).
     */
    private void measure(BenchServer server, int work, Map<String, List<TcpLoad.Result>> into) throws Exception {
        try (server) {
            TcpLoad.run(server, CLIENTS[0], message, java.time.Duration.ZERO, o.warmup().multipliedBy(4));
            for (int c : CLIENTS) {
                into.computeIfAbsent(work + "/" + c, k -> new ArrayList<>())
                        .add(TcpLoad.run(server, c, message, o.warmup(), o.measure()));
            }
        }
    }

    private static String version(Path peer) {
        try {
            Process p = new ProcessBuilder(peer.toString(), "--version").redirectErrorStream(true).start();
            return "`" + new String(p.getInputStream().readAllBytes()).trim() + "` (" + peer + ")";
        } catch (Exception e) {
            return peer.toString();
        }
    }

    private static String orDash(List<?> values, java.util.function.Supplier<String> figure) {
        return values.isEmpty() ? "—" : figure.get();
    }

    /** Median over runs of ours ÷ theirs for the same run. */
    private static String ratio(List<TcpLoad.Result> ours, List<TcpLoad.Result> theirs,
                                ToDoubleFunction<TcpLoad.Result> f) {
        if (theirs.isEmpty()) {
            return "—";
        }
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(ours.size(), theirs.size()); i++) {
            r.add(f.applyAsDouble(ours.get(i)) / f.applyAsDouble(theirs.get(i)));
        }
        return fixed2(Stats.median(r, Double::doubleValue));
    }

    /** Median over runs of this rate ÷ the raw worker rate of the same run. */
    private static String ratioTo(List<TcpLoad.Result> results, List<Double> rawRates) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(results.size(), rawRates.size()); i++) {
            r.add(results.get(i).messagesPerSecond() / rawRates.get(i));
        }
        return fixed2(Stats.median(r, Double::doubleValue));
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fixed2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
