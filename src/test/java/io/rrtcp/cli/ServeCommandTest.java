package io.rrtcp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rr-tcp serve} as a user meets it: exit codes and messages, and a real process stopped by SIGTERM. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeCommandTest {
    private static final Path WORKER = Path.of("test-workers/tcp-worker.php").toAbsolutePath();

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve(".rr.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static String serverSection(String addr) {
        return "version: '3'\nserver:\n  command: \"php " + WORKER + "\"\ntcp:\n  servers:\n    main:\n      addr: " + addr
                + "\n  pool:\n    num_workers: 1\n";
    }

    private void assertBadConfig(CliRun run, Path file, String... parts) {
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(file.toString()), "names the file: " + run.err());
        for (String part : parts) {
            assertTrue(run.err().contains(part), "says '" + part + "': " + run.err());
        }
        assertFalse(run.err().contains("\tat io.rrtcp"), "no stack trace without --debug: " + run.err());
    }

    @Test
    void noServersIsABadConfig() throws IOException {
        Path file = config("version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers: {}\n");
        assertBadConfig(run("serve", "-c", file.toString()), file, "tcp.servers", "no servers registered");
    }

    @Test
    void emptyAddressIsABadConfig() throws IOException {
        Path file = config("version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    server_without_addr:\n"
                + "      delimiter: \"\\n\"\n");
        assertBadConfig(run("serve", "-c", file.toString()), file, "tcp.servers.server_without_addr.addr",
                "empty address for the server: server_without_addr");
    }

    @Test
    void badDurationIsABadConfig() throws IOException {
        Path file = config(serverSection("127.0.0.1:0") + "    allocate_timeout: 10x\n");
        assertBadConfig(run("serve", "-c", file.toString()), file, "tcp.pool.allocate_timeout", "10x");
    }

    @Test
    void missingConfigFileIsReported() {
        Path file = dir.resolve("nope.yaml");
        assertBadConfig(run("serve", "-c", file.toString()), file);
    }

    @Test
    void aPortInUseFailsServeAtStartNamingTheAddress() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String addr = "127.0.0.1:" + taken.getLocalPort();
            Path file = config(serverSection(addr));
            CliRun run = run("serve", "-c", file.toString());
            assertEquals(1, run.code(), run.err());
            assertTrue(run.err().contains("cannot listen on " + addr), run.err());
        }
    }

    @Test
    void aWorkerThatCannotStartFailsServeWithItsStderr() throws IOException {
        Path file = config(serverSection("127.0.0.1:0").replace("tcp:\n", "  env:\n    CRASH_ON_START: \"1\"\ntcp:\n"));
        CliRun run = run("serve", "-c", file.toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("boom"), run.err());
    }

    @Test
    void aFailingOnInitCommandAbortsServeWithItsExitCodeAndOutput() throws IOException {
        Path file = config(serverSection("127.0.0.1:0").replace("tcp:\n",
                "  on_init:\n    command: [\"php\", \"-r\", \"fwrite(STDERR, 'migration failed'); exit(3);\"]\ntcp:\n"));
        CliRun run = run("serve", "-c", file.toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("server.on_init"), run.err());
        assertTrue(run.err().contains("exit code 3"), run.err());
        assertTrue(run.err().contains("migration failed"), run.err());
    }

    @Test
    void versionAndHelp() {
        CliRun version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("rr-tcp version "), version.out());
        CliRun help = run("serve", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--config"), help.out());
    }

    @Test
    void sigtermClosesConnectionsDeliversCloseStopsEveryWorkerAndExitsZero() throws Exception {
        int port = ServeProcess.freePort();
        Path events = dir.resolve("events.jsonl");
        Path file = config(serverSection("127.0.0.1:" + port).replace("tcp:\n",
                "  env:\n    EVENT_LOG: \"" + events + "\"\ntcp:\n").replace("num_workers: 1", "num_workers: 3"));
        try (ServeProcess serve = ServeProcess.start(file)) {
            List<ProcessHandle> workers = serve.process().descendants().toList();
            assertEquals(3, workers.size(), "3 php workers under the server: " + serve.output());
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(20_000);
                client.getOutputStream().write("hi\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = client.getInputStream().readNBytes(4);
                assertEquals("hi\r\n", new String(answer, StandardCharsets.US_ASCII));
                serve.process().destroy(); // SIGTERM
                assertEquals(-1, client.getInputStream().read(), "the server closed the connection");
            }
            assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "serve exits after SIGTERM");
            assertEquals(0, serve.process().exitValue(), serve.output());
            for (ProcessHandle w : workers) {
                w.onExit().get(5, TimeUnit.SECONDS);
                assertFalse(w.isAlive(), "worker " + w.pid() + " outlived the server");
            }
            String log = Files.readString(events);
            assertTrue(log.contains("\"event\":\"CLOSE\""), "the open connection's CLOSE was delivered: " + log);
        }
    }

    @Test
    void a100MegabyteMessageWithoutDelimiterIsCutAtTheCapWithoutGrowingTheHeap() throws Exception {
        int port = ServeProcess.freePort();
        Path file = config(serverSection("127.0.0.1:" + port));
        // 40 MB of heap for the whole server: buffering 100 MB would end in OutOfMemoryError, the 16 MB cap must not
        try (ServeProcess serve = ServeProcess.start(file, "-Xmx40m")) {
            long sent = 0;
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(20_000);
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'x');
                try {
                    while (sent < 100L << 20) {
                        client.getOutputStream().write(chunk);
                        sent += chunk.length;
                    }
                } catch (IOException e) {
                    // the server closed the connection while we were still sending: that is the point
                }
                assertEquals(-1, client.getInputStream().read(), "cut, nothing written back");
            }
            assertTrue(sent < 100L << 20, "the server stopped reading at the cap; sent " + sent);
            try (Socket next = new Socket("127.0.0.1", port)) {
                next.setSoTimeout(20_000);
                next.getOutputStream().write("alive\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("alive\r\n", new String(next.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
            }
            String out = serve.output();
            assertTrue(out.contains("max_message_size exceeded"), out);
            assertTrue(out.contains("the limit is 16777216 bytes"), out);
            assertFalse(out.contains("OutOfMemoryError"), out);
            assertTrue(serve.process().isAlive());
        }
    }

    @Test
    void a24MegabyteEchoFitsInA64MegabyteHeap() throws Exception {
        int port = ServeProcess.freePort();
        Path file = config(serverSection("127.0.0.1:" + port).replace("\n  pool:", "\n      max_message_size: 32\n  pool:"));
        // kept in its chunks on the way in and read back into them on the way out, the message is held about once;
        // any step that copied it whole (a growing buffer, a frame array, a reply array) would not fit
        try (ServeProcess serve = ServeProcess.start(file, "-Xmx64m")) {
            byte[] message = new byte[24 << 20];
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) ('a' + i % 26);
            }
            message[message.length - 2] = '\r';
            message[message.length - 1] = '\n';
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(60_000);
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        client.getOutputStream().write(message);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] echo = client.getInputStream().readNBytes(message.length);
                writer.join();
                assertTrue(java.util.Arrays.equals(message, echo), "the echo is byte for byte the message");
            }
            String out = serve.output();
            assertFalse(out.contains("OutOfMemoryError"), out);
            assertTrue(serve.process().isAlive(), out);
        }
    }

    @Test
    void workerPipesAreOnThePollerAndTheOtherWaysStillServe() throws Exception {
        int port = ServeProcess.freePort();
        Path file = config(serverSection("127.0.0.1:" + port));
        String carriers = "carriers=" + io.rrtcp.server.Carriers.defaultFor(Runtime.getRuntime().availableProcessors());
        try (ServeProcess serve = ServeProcess.start(file)) {
            assertEchoes(port, serve);
            assertTrue(serve.output().contains("pipes=poller"), serve.output());
            assertTrue(serve.output().contains(carriers), serve.output());
        }
        try (ServeProcess serve = ServeProcess.start(file, "-Drrtcp.worker.pipes=streams",
                "-Djdk.virtualThreadScheduler.parallelism=3")) {
            assertEchoes(port, serve);
            assertTrue(serve.output().contains("pipes=\"streams (rrtcp.worker.pipes=streams)\""), serve.output());
            assertTrue(serve.output().contains("carriers=3"), serve.output());
        }
        try (ServeProcess serve = ServeProcess.startWithoutOpens(file)) {
            assertEchoes(port, serve);
            assertTrue(serve.output().contains("pipes=\"streams (JDK internals not open to rr-tcp"), serve.output());
        }
    }

    private static void assertEchoes(int port, ServeProcess serve) throws IOException {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(20_000);
            for (int i = 0; i < 50; i++) {
                String line = "line " + i + "\r\n";
                client.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
                assertEquals(line, new String(client.getInputStream().readNBytes(line.length()),
                        StandardCharsets.US_ASCII), serve.output());
            }
        }
    }
}
