import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Memory per idle connection: starts {@code rr-tcp serve} (the real jar, 2 php workers), opens N connections that
 * each receive a greeting (so every connection is fully set up and its handler is parked in read()), then compares
 * the server's resident memory (VmRSS, after a full GC in the server) with the same server before the connections.
 * Run through bin/rr-tcp-bench idle [N ...]; prints a Markdown table.
 */
public final class IdleConnections {
    /** Bytes each connection sends (and gets echoed) before it goes idle; 0 = none. */
    private static int firstMessage;
    private static final Path ROOT = Path.of(System.getProperty("rrtcp.root", ".")).toAbsolutePath().normalize();

    public static void main(String[] args) throws Exception {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--after-message")) {
                firstMessage = Integer.parseInt(args[++i]);
            } else {
                counts.add(Integer.parseInt(args[i]));
            }
        }
        if (counts.isEmpty()) {
            counts = List.of(1_000, 10_000);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.println("| idle connections | server RSS before | server RSS after | RSS per connection | heap used per connection |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int n : counts) {
            Result r = measure(java, n);
            System.out.printf("| %,d | %.1f MiB | %.1f MiB | %,d bytes (%.1f KiB) | %,d bytes |%n", n, r.rssBefore / 1048576.0,
                    r.rssAfter / 1048576.0, r.rssPerConnection(), r.rssPerConnection() / 1024.0, r.heapPerConnection());
        }
        System.out.println();
        if (firstMessage > 0) {
            System.out.println("Each connection first sent and received a " + firstMessage + "-byte message.");
        }
        System.out.println("Server JVM options: " + serverJvmOptions() + "; RSS read from /proc/<pid>/status after jcmd GC.run.");
    }

    record Result(int n, long rssBefore, long rssAfter, long heapBefore, long heapAfter) {
        long rssPerConnection() {
            return (rssAfter - rssBefore) / n;
        }

        long heapPerConnection() {
            return (heapAfter - heapBefore) / n;
        }
    }

    private static List<String> serverJvmOptions() {
        String opts = System.getenv().getOrDefault("RR_TCP_JAVA_OPTS", "").trim();
        return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    private static Result measure(String java, int n) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path dir = Files.createTempDirectory("rr-tcp-idle");
        Path config = dir.resolve(".rr.yaml");
        Files.writeString(config, """
                version: '3'
                server:
                  command: "php %s"
                  env:
                    GREETING: "hi\\\\n"
                tcp:
                  servers:
                    idle:
                      addr: 127.0.0.1:%d
                      delimiter: "\\n"
                      max_message_size: 64
                  pool:
                    num_workers: 2
                """.formatted(ROOT.resolve("test-workers/tcp-worker.php"), port));
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(serverJvmOptions());
        cmd.addAll(List.of("-jar", ROOT.resolve("target/rr-tcp.jar").toString(), "serve", "-c", config.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> drain(server.getInputStream(), started));
        List<Socket> sockets = new ArrayList<>(n);
        try {
            started.get(60, TimeUnit.SECONDS);
            connect(port, 200, new ArrayList<>(), true); // warm-up: the code paths are compiled and loaded
            long rssBefore = settledRss(server.pid());
            long heapBefore = heapUsed(server.pid());
            connect(port, n, sockets, false);
            long rssAfter = settledRss(server.pid());
            long heapAfter = heapUsed(server.pid());
            return new Result(n, rssBefore, rssAfter, heapBefore, heapAfter);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** Opens n connections, each read up to its greeting, 64 at a time; closes them when {@code close}. */
    private static void connect(int port, int n, List<Socket> keep, boolean close) throws Exception {
        List<CompletableFuture<Socket>> pending = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(64, Thread.ofVirtual().factory())) {
            for (int i = 0; i < n; i++) {
                pending.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        Socket s = new Socket("127.0.0.1", port);
                        s.setSoTimeout(60_000);
                        byte[] hi = s.getInputStream().readNBytes(3);
                        if (!"hi\n".equals(new String(hi, StandardCharsets.US_ASCII))) {
                            throw new IOException("no greeting");
                        }
                        if (firstMessage > 0 && !close) {
                            byte[] message = new byte[firstMessage];
                            java.util.Arrays.fill(message, (byte) 'm');
                            message[firstMessage - 1] = '\n';
                            s.getOutputStream().write(message);
                            if (s.getInputStream().readNBytes(firstMessage).length != firstMessage) {
                                throw new IOException("echo cut short");
                            }
                        }
                        return s;
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            for (CompletableFuture<Socket> f : pending) {
                Socket s = f.get();
                if (close) {
                    s.close();
                } else {
                    keep.add(s);
                }
            }
        }
    }

    private static long settledRss(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Thread.sleep(1000);
        jcmd(pid, "GC.run");
        Thread.sleep(500);
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** Heap in use after the last GC, from jcmd GC.heap_info ("... used NNNK"). */
    private static long heapUsed(long pid) throws Exception {
        String info = jcmd(pid, "GC.heap_info");
        var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static void drain(InputStream in, CompletableFuture<Void> started) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.contains("rr-tcp started")) {
                    started.complete(null);
                } else if (!started.isDone() || line.contains("ERROR") || line.contains("Exception")) {
                    System.err.println("server: " + line);
                }
            }
        } catch (IOException ignored) {
            // server gone
        }
        started.completeExceptionally(new IllegalStateException("server exited before it started"));
    }
}
