package io.rrtcp.bench;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Memory per idle connection: N connections that each received a greeting (so each is fully set up and its handler is
 * parked in read()), server RSS after a full GC compared with the same server before them.
 */
final class IdleConnections {
    /** Connections opened and closed before measuring (BENCH_IDLE_WARMUP), so the code they run is compiled. */
    private static final int WARM_UP = Integer.parseInt(System.getenv().getOrDefault("BENCH_IDLE_WARMUP", "200"));

    record Result(int connections, long rssBefore, long rssAfter, long heapBefore, long heapAfter) {
        long rssPerConnection() {
            return (rssAfter - rssBefore) / connections;
        }

        long heapPerConnection() {
            return (heapAfter - heapBefore) / connections;
        }
    }

    /** @param firstMessage bytes each connection sends and gets back before it goes idle (0: none) */
    static Result measure(int n, int firstMessage) throws Exception {
        return measure(n, firstMessage, null);
    }

    /** As above; with {@code tls}, the connections are TLS (handshake done, greeting read over it). */
    static Result measure(int n, int firstMessage, BenchTls tls) throws Exception {
        SocketFactory sockets = tls == null ? SocketFactory.getDefault() : tls.clients;
        String yaml = "max_message_size: 64\n" + (tls == null ? "" : tls.yaml());
        try (BenchServer server = BenchServer.start(2, 0, yaml, "hi\\\\n")) {
            int port = server.port;
            connect(sockets, port, WARM_UP, firstMessage, new ArrayList<>(), true); // warm-up: code loaded and compiled
            long heapBefore = server.heapAfterGc();
            Thread.sleep(500);
            long rssBefore = server.rssBytes();
            List<Socket> open = new ArrayList<>(n);
            try {
                connect(sockets, port, n, firstMessage, open, false);
                long heapAfter = server.heapAfterGc();
                Thread.sleep(500);
                diagnose(server);
                return new Result(n, rssBefore, server.rssBytes(), heapBefore, heapAfter);
            } finally {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    /**
     * BENCH_IDLE_DIAG=1: where the bytes go, printed to stderr while the connections are open: the server's class
     * histogram and, when it runs with -XX:NativeMemoryTracking=summary (RR_TCP_JAVA_OPTS), its native memory.
     */
    private static void diagnose(BenchServer server) throws Exception {
        if (!"1".equals(System.getenv("BENCH_IDLE_DIAG"))) {
            return;
        }
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        for (String command : List.of("GC.class_histogram", "VM.native_memory summary", "Thread.dump_to_file -overwrite /tmp/idle-threads.txt")) {
            List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(server.pid())));
            cmd.addAll(List.of(command.split(" ")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor();
            System.err.println("---- jcmd " + command);
            lines.stream().limit(command.startsWith("GC") ? 30 : 200).forEach(System.err::println);
        }
    }

    private static void connect(SocketFactory sockets, int port, int n, int firstMessage, List<Socket> keep,
                                boolean close) throws Exception {
        List<CompletableFuture<Socket>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(64, Thread.ofVirtual().factory())) {
            for (int i = 0; i < n; i++) {
                pending.add(CompletableFuture.supplyAsync(() -> open(sockets, port, firstMessage), pool));
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

    private static Socket open(SocketFactory sockets, int port, int firstMessage) {
        try {
            Socket s = sockets.createSocket("127.0.0.1", port);
            s.setSoTimeout(60_000);
            if (!"hi\n".equals(new String(s.getInputStream().readNBytes(3), StandardCharsets.US_ASCII))) {
                throw new IOException("no greeting");
            }
            if (firstMessage > 0) {
                byte[] message = new byte[firstMessage];
                Arrays.fill(message, (byte) 'm');
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
    }
}
