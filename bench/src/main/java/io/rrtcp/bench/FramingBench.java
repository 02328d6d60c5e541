package io.rrtcp.bench;

import io.rrtcp.config.Framing;
import io.rrtcp.tcp.DelimiterScanner;
import io.rrtcp.tcp.LengthFramer;
import io.rrtcp.tcp.ReadGuard;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import static io.rrtcp.bench.Stats.median;
import static io.rrtcp.bench.Stats.micros;
import static io.rrtcp.bench.Stats.range;

/** {@code bin/rr-tcp-bench framing}: {@code framing: length} and {@code raw} next to delimiter framing. */
final class FramingBench {
    private static final int MESSAGE = 64;
    private static final int[] CLIENTS = {1, 64};

    private final Bench.Options o;
    private final Consumer<String> out;

    FramingBench(Bench.Options o, Consumer<String> out) {
        this.o = o;
        this.out = out;
    }

    private void line(String s) {
        out.accept(s);
    }

    /**
     * framing: length and raw next to delimiter framing: the same 64-byte echo at W=2, C=1 and C=64. The three
     * servers run side by side and are measured in short windows, one after the other in alternating order, round
     * after round: the machine's speed drifts (other work shares it), and neighbouring windows see about the same
     * machine, so each round's ratio to delimiter framing is compared, and the median of those ratios reported.
     */
    void run() throws Exception {
        byte[] line = new byte[MESSAGE];
        Arrays.fill(line, (byte) 'p');
        line[MESSAGE - 1] = '\n';
        byte[] frame = new byte[MESSAGE];
        Arrays.fill(frame, (byte) 'p');
        frame[0] = 0;
        frame[1] = MESSAGE - 2; // a 2-byte big-endian length of the rest
        framerAlone(line, frame);
        int rounds = 3 * o.runs();
        Duration warmup = Duration.ofMillis(o.quick() ? 200 : 300);
        Duration window = Duration.ofMillis(o.quick() ? 700 : 1000);
        Map<String, List<TcpLoad.Result>> results = new LinkedHashMap<>();
        try (BenchServer delimiter = BenchServer.framed("delimiter: \"\\n\"", 2);
             BenchServer length = BenchServer.framed("framing: length\nlength: {size: 2}", 2);
             BenchServer raw = BenchServer.framed("framing: raw", 2)) {
            Map<String, BenchServer> servers = new LinkedHashMap<>();
            servers.put("delimiter", delimiter);
            servers.put("length", length);
            servers.put("raw", raw);
            for (int c : CLIENTS) {
                for (int round = 0; round < rounds; round++) {
                    List<String> order = new ArrayList<>(servers.keySet());
                    if (round % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (String kind : order) {
                        results.computeIfAbsent(kind + "/" + c, k -> new ArrayList<>()).add(TcpLoad.run(
                                servers.get(kind), c, kind.equals("length") ? frame : line, warmup, window));
                    }
                }
                System.err.printf("framing: C=%d done%n", c);
            }
        }
        line("### Framing, full path (64-byte echo, W=2; `framing`; " + rounds + " rounds of " + window.toMillis()
                + " ms windows, medians, min–max; ÷ delimiter = median of each round's ratio)");
        line("");
        line("| framing | C | full msg/s | ÷ delimiter | p50 µs | server CPU µs/msg | ÷ delimiter |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (String kind : List.of("delimiter", "length", "raw")) {
            for (int c : CLIENTS) {
                List<TcpLoad.Result> rs = results.get(kind + "/" + c);
                List<TcpLoad.Result> base = results.get("delimiter/" + c);
                line(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %s | %s | %.2f |", kind, c,
                        range(rs, TcpLoad.Result::messagesPerSecond, 0),
                        medianRatio(rs, base, TcpLoad.Result::messagesPerSecond), micros(rs, TcpLoad.Result::p50),
                        range(rs, TcpLoad.Result::serverCpuMicrosPerMessage, 1),
                        medianRatio(rs, base, TcpLoad.Result::serverCpuMicrosPerMessage)));
            }
        }
        line("");
    }

    /** The median over rounds of {@code f(results[i]) / f(base[i])}. */
    private static double medianRatio(List<TcpLoad.Result> results, List<TcpLoad.Result> base,
                                      ToDoubleFunction<TcpLoad.Result> f) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            ratios.add(f.applyAsDouble(results.get(i)) / f.applyAsDouble(base.get(i)));
        }
        return median(ratios, d -> d);
    }

    /** The framers without sockets or workers: ns per 64-byte message, one message per read, alternating. */
    private void framerAlone(byte[] line, byte[] frame) throws Exception {
        int messages = 2_000_000;
        Framing.Length field = new Framing.Length(0, 2, ByteOrder.BIG_ENDIAN, 0);
        Map<String, List<Double>> nanos = new LinkedHashMap<>();
        for (int round = 0; round < 2 * 5; round++) { // the first five rounds warm up the JIT
            double delimiter = FramerCost.nanosPerMessage(line, messages,
                    in -> new DelimiterScanner(in, new byte[]{'\n'}, 1 << 20, 16 << 20));
            double length = FramerCost.nanosPerMessage(frame, messages,
                    in -> new LengthFramer(in, field, 1 << 20, 16 << 20, ReadGuard.NONE));
            if (round >= 5) {
                nanos.computeIfAbsent("delimiter", k -> new ArrayList<>()).add(delimiter);
                nanos.computeIfAbsent("length", k -> new ArrayList<>()).add(length);
            }
        }
        double base = median(nanos.get("delimiter"), d -> d);
        line("### Framing, the framer alone (64-byte messages, one per read, no sockets; medians of 5 rounds)");
        line("");
        line("| framing | ns/message | ÷ delimiter |");
        line("|---|---:|---:|");
        nanos.forEach((kind, ns) -> line(String.format(Locale.ROOT, "| %s | %.0f | %.2f |", kind,
                median(ns, d -> d), median(ns, d -> d) / base)));
        line("");
    }

}
