package io.rrtcp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/rr-tcp-bench kv}: kv.Set + kv.MGet pairs per second from PHP processes over RPC (protobuf, lib/Kv.php),
 * on a memory storage and on a redis storage (a redis-server started here when one is installed), next to two
 * rpc.Version calls as the bare RPC baseline.
 */
final class KvBench {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":([0-9.eE+-]+)");

    /** One PHP process's figures. */
    record Client(long pairs, double seconds, double p50Micros, double p99Micros) {
    }

    /** C processes run at once against one storage. */
    record Result(double pairsPerSecond, double p50Micros, double p99Micros, double serverCpuMicrosPerPair) {
    }

    private KvBench() {
    }

    /** A redis-server on a free loopback port with its own folder and no persistence; null when none is installed. */
    static Process startRedis(Path dir, int port) throws Exception {
        Path binary = List.of("/usr/bin/redis-server", "/usr/sbin/redis-server").stream().map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            return null;
        }
        Process p = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        p.destroy();
        throw new IllegalStateException("redis-server did not listen on " + port + "; see " + dir.resolve("redis.log"));
    }

    /** {@code clients} PHP processes for {@code measure} each, against {@code storage} ("-" = rpc.Version). */
    static Result run(BenchServer server, String rpc, String storage, int clients, Duration measure) throws Exception {
        long cpu0 = server.cpuNanos();
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            ps.add(new ProcessBuilder("php", BenchServer.ROOT.resolve("test-workers/kv-bench.php").toString(), rpc,
                    storage, String.valueOf(measure.toMillis() / 1000.0), "64", String.valueOf(i))
                    .redirectErrorStream(true).start());
        }
        List<Client> results = new ArrayList<>();
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(measure.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kv-bench.php failed on " + storage + ": " + out);
            }
            results.add(parse(out));
        }
        long cpu = server.cpuNanos() - cpu0;
        double rate = results.stream().mapToDouble(c -> c.pairs() / c.seconds()).sum();
        long pairs = results.stream().mapToLong(Client::pairs).sum();
        return new Result(rate, Stats.median(results, Client::p50Micros), Stats.median(results, Client::p99Micros),
                cpu / 1000.0 / pairs);
    }

    private static Client parse(String json) {
        Matcher m = FIELD.matcher(json);
        double[] v = new double[4];
        List<String> names = List.of("pairs", "seconds", "p50_us", "p99_us");
        while (m.find()) {
            int i = names.indexOf(m.group(1));
            if (i >= 0) {
                v[i] = Double.parseDouble(m.group(2));
            }
        }
        if (v[0] == 0) {
            throw new IllegalStateException("unexpected kv-bench.php output: " + json);
        }
        return new Client((long) v[0], v[1], v[2], v[3]);
    }
}
