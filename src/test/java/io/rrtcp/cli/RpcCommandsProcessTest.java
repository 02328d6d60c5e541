package io.rrtcp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's view with real processes: {@code rr-tcp serve -c .rr.yaml} in one JVM, {@code rr-tcp workers},
 * {@code connections} and {@code reset} with the same {@code -c} in others, as {@code rr workers -c .rr.yaml} is used.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RpcCommandsProcessTest {
    private static final Path WORKER = Path.of("test-workers/tcp-worker.php").toAbsolutePath();

    @TempDir
    Path dir;

    private record Result(int code, String out) {
    }

    private static ProcessBuilder rrTcp(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private static Result run(String... args) throws Exception {
        Process p = rrTcp(args).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "rr-tcp " + String.join(" ", args) + " finished");
            return new Result(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void workersConnectionsAndResetAgainstARunningServe() throws Exception {
        int tcpPort = ServeProcess.freePort();
        int rpcPort = ServeProcess.freePort();
        Path config = dir.resolve(".rr.yaml");
        Files.writeString(config, "version: '3'\nserver:\n  command: \"php " + WORKER + "\"\ntcp:\n  servers:\n"
                + "    main:\n      addr: 127.0.0.1:" + tcpPort + "\n  pool:\n    num_workers: 2\n"
                + "rpc:\n  listen: tcp://127.0.0.1:${RPC_PORT:-1}\n"
                + "logs:\n  mode: production\n  level: info\n  output: [stdout, serve.log]\n");
        Path dotenv = dir.resolve("rpc.env");
        Files.writeString(dotenv, "RPC_PORT=" + rpcPort + "\n");

        try (ServeProcess serve = ServeProcess.startWith(List.of(), "serve", "-c", config.toString(), "--dotenv",
                dotenv.toString())) {
            List<Long> pids = serve.process().descendants().map(ProcessHandle::pid).sorted().toList();
            assertEquals(2, pids.size(), "2 workers: " + serve.output());

            Result workers = run("workers", "-c", config.toString(), "--dotenv", dotenv.toString());
            assertEquals(0, workers.code(), workers.out());
            assertTrue(workers.out().startsWith("Workers of [tcp]:"), workers.out());
            pids.forEach(pid -> assertTrue(workers.out().contains("| " + pid + " "), pid + " in " + workers.out()));

            try (Socket client = new Socket("127.0.0.1", tcpPort)) {
                client.setSoTimeout(20_000);
                client.getOutputStream().write("hi\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hi\r\n", new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
                Result connections = run("connections", "--rpc", "tcp://127.0.0.1:" + rpcPort);
                assertEquals(0, connections.code(), connections.out());
                assertTrue(connections.out().contains("127.0.0.1:" + client.getLocalPort()), connections.out());

                Result reset = run("reset", "-c", config.toString(), "-o", "rpc.listen=tcp://127.0.0.1:" + rpcPort);
                assertEquals(0, reset.code(), reset.out());
                assertTrue(reset.out().contains("plugin reset: [tcp]"), reset.out());
                client.getOutputStream().write("after\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("after\r\n", new String(client.getInputStream().readNBytes(7), StandardCharsets.US_ASCII),
                        "the open connection survives the reset");
            }
            Result after = run("workers", "--rpc", "tcp://127.0.0.1:" + rpcPort);
            pids.forEach(pid -> assertTrue(!after.out().contains("| " + pid + " "), "old pid " + pid + " gone: " + after.out()));

            serve.process().destroy();
            assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "serve exits after SIGTERM");
            List<String> logFile = Files.readAllLines(dir.resolve("serve.log"));
            assertTrue(logFile.stream().anyMatch(l -> l.contains("\"msg\":\"plugin reset\"")), "JSON lines in the log file: " + logFile);
            for (String line : logFile) {
                com.eclipsesource.json.JsonObject o = com.eclipsesource.json.Json.parse(line).asObject();
                assertTrue(o.get("logger") != null && o.get("level") != null && o.get("msg") != null, line);
            }
            Result down = run("workers", "--rpc", "tcp://127.0.0.1:" + rpcPort);
            assertEquals(1, down.code());
            assertEquals("no rr-tcp RPC at tcp://127.0.0.1:" + rpcPort + ": connection refused\n", down.out());
        }
    }
}
