package io.rrtcp.bench;

import io.rrtcp.config.Framing;
import io.rrtcp.tcp.DelimiterScanner;
import io.rrtcp.tcp.LengthFramer;
import io.rrtcp.tcp.ReadGuard;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import static io.rrtcp.bench.Bench.median;
import static io.rrtcp.bench.Bench.micros;
import static io.rrtcp.bench.Bench.range;

/** {@code bin/rr-tcp-bench framing}: {@code framing: length} and {@code raw} next to delimiter framing. */
final class FramingBench {
    private static final int MESSAGE = 64;

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
     * framing: length and raw next to delimiter framing: the same 64-byte echo at W=2, C=1 and C=64, the servers
     * started in turn within each run (in alternating order, so neither always gets the warmer machine).
     */
    void run() throws Exception {
        byte[] line = new byte[MESSAGE];
        Arrays.fill(line, (byte) 'p');
        line[MESSAGE - 1] = '\n';
        byte[] frame = new byte[MESSAGE];
        Arrays.fill(frame, (byte) 'p');
        frame[0] = 0;
        frame[1] = MESSAGE - 2; // a 2-byte big-endian length of the rest
        Map<String, String> yaml = new LinkedHashMap<>();
        yaml.put("delimiter", "delimiter: \"\\n\"");
        yaml.put("length", "framing: length\nlength: {size: 2}");
        yaml.put("raw", "framing: raw");
        int[] clients = {1, 64};
        Map<String, List<TcpLoad.Result>> results = new LinkedHashMap<>();
        for (int run = 0; run < o.runs(); run++) {
            List<String> order = new ArrayList<>(yaml.keySet());
            if (run % 2 == 1) {
                Collections.reverse(order);
            }
            for (String kind : order) {
                try (BenchServer server = BenchServer.framed(yaml.get(kind), 2)) {
                    for (int c : clients) {
                        results.computeIfAbsent(kind + "/" + c, k -> new ArrayList<>())
                                .add(TcpLoad.run(server, c, kind.equals("length") ? frame : line, o.warmup(), o.measure()));
                    }
                }
            }
            System.err.printf("run %d/%d: framings done%n", run + 1, o.runs());
        }
        framerAlone(line, frame);
        line("### Framing, full path (64-byte echo, W=2; `framing`; medians of " + o.runs() + " runs, min–max)");
        line("");
        line("| framing | C | full msg/s | ÷ delimiter | p50 µs | server CPU µs/msg | ÷ delimiter |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (String kind : yaml.keySet()) {
            for (int c : clients) {
                List<TcpLoad.Result> rs = results.get(kind + "/" + c);
                List<TcpLoad.Result> base = results.get("delimiter/" + c);
                line(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %s | %s | %.2f |", kind, c,
                        range(rs, TcpLoad.Result::messagesPerSecond, 0),
                        median(rs, TcpLoad.Result::messagesPerSecond) / median(base, TcpLoad.Result::messagesPerSecond),
                        micros(rs, TcpLoad.Result::p50), range(rs, TcpLoad.Result::serverCpuMicrosPerMessage, 1),
                        median(rs, TcpLoad.Result::serverCpuMicrosPerMessage)
                                / median(base, TcpLoad.Result::serverCpuMicrosPerMessage)));
            }
        }
        line("");
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
