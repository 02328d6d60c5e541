package io.rrtcp.it;

import io.rrtcp.cli.CliRun;
import io.rrtcp.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rr-tcp workers}, {@code reset} and {@code connections} against a running server, through picocli's execute(). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RpcCommandsTest {
    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void workersPrintsOneTableWithEveryPidLikeRrWorkers() throws Exception {
        server = TestServer.in(dir).workers(3).rpc("tcp://127.0.0.1:0").start();
        CliRun r = run("workers", "--rpc", server.rpc());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Workers of [tcp]:\n+"), r.out());
        assertTrue(r.out().matches("(?s).*\\| PID +\\| STATUS +\\| EXECS +\\| MEMORY +\\| CPU% +\\| CREATED +\\|\n.*"), r.out());
        for (long pid : server.workerPids()) {
            assertTrue(r.out().matches("(?s).*\\| " + pid + " +\\| ready +\\| .*"), pid + " in\n" + r.out());
        }
        assertTrue(r.out().matches("(?s).*\\| \\d+(\\.\\d)? MB +\\| \\d+\\.\\d\\d +\\| (now|\\d+ seconds? ago).*"), r.out());
        CliRun none = run("workers", "--rpc", server.rpc(), "nope");
        assertEquals(0, none.code());
        assertEquals("", none.out(), "plugins without workers are skipped, as rr does");
    }

    @Test
    void theConfigFileGivesTheRpcAddressAndOverridesApply() throws Exception {
        TestServer.Builder builder = TestServer.in(dir).workers(1).rpc("tcp://127.0.0.1:0");
        server = builder.start();
        Path config = dir.resolve(".rr.yaml");
        CliRun r = run("workers", "-c", config.toString(), "-o", "rpc.listen=" + server.rpc());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(String.valueOf(server.workerPids().get(0))), r.out());

        Path noRpc = dir.resolve("norpc.yaml");
        Files.writeString(noRpc, Files.readString(config).replaceAll("(?s)rpc:.*", ""));
        CliRun missing = run("workers", "-c", noRpc.toString());
        assertEquals(2, missing.code(), missing.out());
        assertTrue(missing.err().contains("rpc service not specified in the configuration"), missing.err());
    }

    @Test
    void resetPrintsWhatWasResetAndEveryPidChanges() throws Exception {
        server = TestServer.in(dir).workers(2).rpc("tcp://127.0.0.1:0").start();
        List<Long> before = server.workerPids();
        CliRun r = run("reset", "--rpc", server.rpc());
        assertEquals(0, r.code(), r.err());
        assertEquals("resetting plugin: [tcp]\nplugin reset: [tcp]\n", r.out());
        List<Long> after = Await.until(server::workerPids, ps -> ps.size() == 2, Duration.ofSeconds(20), "workers");
        assertTrue(after.stream().noneMatch(before::contains), before + " -> " + after);
        CliRun unknown = run("reset", "--rpc", server.rpc(), "foo");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("reset of [foo] failed: no such plugin: foo"), unknown.err());
    }

    @Test
    void connectionsListsOpenClients() throws Exception {
        server = TestServer.in(dir).workers(1).rpc("tcp://127.0.0.1:0").start();
        assertEquals("no open connections\n", run("connections", "--rpc", server.rpc()).out());
        try (Client a = server.connect("main")) {
            String uuid = server.uuidOf(a);
            assertEquals("hi\r\n", a.ask("hi\r\n"));
            CliRun r = run("connections", "--rpc", server.rpc());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("| UUID "), r.out());
            assertTrue(r.out().contains("| " + uuid + " | main   | " + a.localAddress()), r.out());
            assertTrue(r.out().contains("| 4 B      | 4 B       |"), r.out());
            assertTrue(r.out().endsWith("1 connection\n"), r.out());
        }
    }

    @Test
    void interactiveWorkersRedrawsEverySecondUntilInterrupted() throws Exception {
        server = TestServer.in(dir).workers(1).rpc("tcp://127.0.0.1:0").start();
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        Thread watcher = Thread.ofVirtual().start(() -> cli.execute("workers", "-i", "--rpc", server.rpc()));
        try {
            Await.until(out::toString, o -> o.split("\u001b\\[H\u001b\\[2J", -1).length >= 3, Duration.ofSeconds(20),
                    "two redraws");
            assertTrue(out.toString().contains("Workers of [tcp]:"), out.toString());
        } finally {
            watcher.interrupt(); // Ctrl-C stands in: the loop ends
            watcher.join(Duration.ofSeconds(10));
        }
        assertTrue(!watcher.isAlive(), "workers -i stopped");
    }

    @Test
    void aServerThatIsNotRunningIsOneClearLineAndExitOne() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        for (String command : List.of("workers", "reset", "connections")) {
            CliRun r = run(command, "--rpc", "tcp://127.0.0.1:" + port);
            assertEquals(1, r.code(), command);
            assertEquals("no rr-tcp RPC at tcp://127.0.0.1:" + port + ": connection refused\n", r.err(), command);
        }
    }
}
