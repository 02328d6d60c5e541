package io.rrtcp.bench;

import javax.net.SocketFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import static io.rrtcp.bench.Stats.median;
import static io.rrtcp.bench.Stats.micros;
import static io.rrtcp.bench.Stats.range;

/** {@code bench tls}: echo over TLS next to the same echo in plain TCP, servers started in turn within each run. */
final class TlsEcho {
    private TlsEcho() {
    }

    static void report(Bench.Options o, int size, Consumer<String> line) throws Exception {
        BenchTls tls = BenchTls.create();
        byte[] message = new byte[size];
        Arrays.fill(message, (byte) 'p');
        message[size - 1] = '\n';
        int[] clients = {1, 64};
        // the JDK's TLS code is compiled later than the plain path: warm both up longer
        Duration warmup = o.warmup().multipliedBy(2);
        Map<String, List<TcpLoad.Result>> results = new LinkedHashMap<>();
        for (int run = 0; run < o.runs(); run++) {
            for (boolean secure : new boolean[]{false, true}) {
                try (BenchServer server = BenchServer.start(2, 0, secure ? tls.yaml() : "", "")) {
                    for (int c : clients) {
                        results.computeIfAbsent((secure ? "TLS 1.3" : "plain") + "/" + c, k -> new ArrayList<>())
                                .add(TcpLoad.run(server, secure ? tls.clients : SocketFactory.getDefault(),
                                        c, message, warmup, o.measure()));
                    }
                }
            }
        }
        line.accept("### TLS vs plain echo (64-byte messages, W=2, RSA 2048 certificate; medians of " + o.runs()
                + " runs, min–max; handshakes before the window)");
        line.accept("");
        line.accept("| transport | C | full msg/s | vs plain | p50 µs | server CPU µs/msg | clients CPU µs/msg |");
        line.accept("|---|---:|---:|---:|---:|---:|---:|");
        for (var e : results.entrySet()) {
            String[] key = e.getKey().split("/");
            List<TcpLoad.Result> rs = e.getValue();
            double plain = median(results.get("plain/" + key[1]), TcpLoad.Result::messagesPerSecond);
            line.accept(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %s | %.1f |", key[0], key[1],
                    range(rs, TcpLoad.Result::messagesPerSecond, 0), median(rs, TcpLoad.Result::messagesPerSecond) / plain,
                    micros(rs, TcpLoad.Result::p50), range(rs, TcpLoad.Result::serverCpuMicrosPerMessage, 1),
                    median(rs, TcpLoad.Result::clientCpuMicrosPerMessage)));
        }
        line.accept("");
    }
}
