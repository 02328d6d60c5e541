package io.rrtcp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where a server's CPU goes per message ({@code bin/rr-tcp-bench syscalls}): {@code strace -c -f} attached to the
 * server process (all its threads, not its PHP workers) while C=64 clients drive W=2 workers, at WORK_US 0 and 100,
 * for rr-tcp and, with RR_PEER, for RoadRunner. Syscalls per message = calls counted ÷ messages answered in the
 * traced window. ptrace slows every syscall a great deal, so rates under strace mean nothing; the counts per message
 * show how many kernel entries (and futex wake-ups and waits) each message costs.
 */
final class SyscallCount {
    private static final int WORKERS = 2;
    private static final int CLIENTS = 64;
    private static final List<String> SHOWN = List.of("futex", "read", "write", "epoll_wait", "epoll_pwait",
            "epoll_ctl", "sched_yield", "nanosleep", "clock_nanosleep", "ioctl", "fstat", "poll");

    private final Bench.Options o;
    private final Consumer<String> line;
    private final byte[] message;

    SyscallCount(Bench.Options o, int messageSize, Consumer<String> line) {
        this.o = o;
        this.line = line;
        this.message = TcpLoad.message(messageSize);
    }

    void run() throws Exception {
        String env = System.getenv("RR_PEER");
        Path peer = env == null || env.isBlank() || !Files.isExecutable(Path.of(env)) ? null : Path.of(env);
        line.accept("### Syscalls per message, server process only (`strace -c -f -p`, W=" + WORKERS + ", C=" + CLIENTS
                + ", 64-byte echo)");
        line.accept("");
        if (peer == null) {
            line.accept("(RR_PEER not set or not executable: the RoadRunner rows are skipped.)");
            line.accept("");
        }
        line.accept("| server | WORK_US | messages traced | syscalls/msg | " + String.join("/msg | ", SHOWN) + "/msg |");
        line.accept("|---|---:|---:|---:|" + "---:|".repeat(SHOWN.size()));
        for (int work : new int[]{0, 100}) {
            row("rr-tcp", BenchServer.start(WORKERS, work, "", ""), work);
            if (peer != null) {
                row("RoadRunner", BenchServer.peer(peer, WORKERS, work), work);
            }
        }
        line.accept("");
    }

    private void row(String name, BenchServer server, int work) throws Exception {
        Path out = Files.createTempFile("rr-tcp-strace", ".txt");
        try (server) {
            TcpLoad.run(server, CLIENTS, message, Duration.ZERO, o.warmup().multipliedBy(4)); // JIT warm-up, untraced
            Process strace = new ProcessBuilder("strace", "-c", "-f", "-o", out.toString(), "-p",
                    Long.toString(server.pid())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Thread.sleep(1000); // attached to every thread
            TcpLoad.Result r = TcpLoad.run(server, CLIENTS, message, Duration.ZERO, o.measure());
            new ProcessBuilder("kill", "-INT", Long.toString(strace.pid())).start().waitFor();
            if (!strace.waitFor(30, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
            }
            long messages = Math.round(r.messagesPerSecond() * o.measure().toNanos() / 1e9);
            Map<String, Long> calls = parse(Files.readAllLines(out));
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %,d | %.1f |", name, work,
                    messages, total / (double) messages));
            for (String s : SHOWN) {
                row.append(String.format(Locale.ROOT, " %.2f |", calls.getOrDefault(s, 0L) / (double) messages));
            }
            line.accept(row.toString());
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** strace -c's table: "% time  seconds  usecs/call  calls  [errors]  syscall", then a total line. */
    private static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (String l : lines) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 5 && f[0].matches("[0-9.]+") && !"total".equals(f[f.length - 1])) {
                calls.put(f[f.length - 1], Long.parseLong(f[3]));
            }
        }
        return calls;
    }
}
