package io.rrtcp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Signals to a real {@code rr-tcp serve} process, as an operator or a process manager sends them (issue 10, items 7, 8). */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ServeSignalsTest {
    private static final Path WORKER = Path.of("test-workers/tcp-worker.php").toAbsolutePath();
    private static final int CLIENTS = 24;

    @TempDir
    Path dir;

    private Path config(int port, int workers, String env, String pool) throws IOException {
        Path file = dir.resolve(".rr.yaml");
        Files.writeString(file, "version: '3'\nserver:\n  command: \"php " + WORKER + "\"\n  env:\n    EVENT_LOG: \""
                + dir.resolve("events.jsonl") + "\"\n" + env + "tcp:\n  servers:\n    main:\n      addr: 127.0.0.1:" + port
                + "\n      delimiter: \"\\n\"\n  pool:\n    num_workers: " + workers + "\n" + pool);
        return file;
    }

    private static String ask(Socket s, String line) throws IOException {
        s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
        byte[] got = s.getInputStream().readNBytes(line.length());
        return new String(got, StandardCharsets.US_ASCII);
    }

    private List<String> eventLines(String event) throws IOException {
        Path events = dir.resolve("events.jsonl");
        return Files.exists(events) ? Files.readAllLines(events).stream().filter(l -> l.contains("\"event\":\"" + event + "\""))
                .toList() : List.of();
    }

    private static Set<String> uuids(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(".*\"uuid\":\"([^\"]+)\".*", "$1")).collect(Collectors.toSet());
    }

    /** SIGHUP and SIGABRT under load stop like SIGTERM: logged with the signal's name, every CLOSE delivered, exit 0. */
    @ParameterizedTest
    @ValueSource(strings = {"HUP", "ABRT", "TERM", "INT"})
    void aStopSignalUnderLoadStopsGracefullyWithEveryCloseDelivered(String signal) throws Exception {
        int port = ServeProcess.freePort();
        try (ServeProcess serve = ServeProcess.start(config(port, 3, "", ""))) {
            assumeFalse(ignoredAtStart(serve.process().pid(), signal), "SIG" + signal + " was ignored when this "
                    + "process tree started (a shell's background job ignores SIGINT), so no program in it can catch it");
            List<ProcessHandle> workers = serve.process().descendants().toList();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket s = new Socket("127.0.0.1", port);
                    s.setSoTimeout(30_000);
                    clients.add(s);
                    assertEquals("hi " + i + "\n", ask(s, "hi " + i + "\n"));
                }
                for (int i = 0; i < 3; i++) { // requests in flight when the signal comes
                    clients.get(i).getOutputStream().write("sleep 400\n".getBytes(StandardCharsets.US_ASCII));
                }
                serve.signal(signal);
                for (Socket s : clients) {
                    InputStream in = s.getInputStream();
                    while (in.read() >= 0) { // a "slept 400" may come first; then the server closes
                    }
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            assertTrue(serve.process().waitFor(60, TimeUnit.SECONDS), "serve exits after SIG" + signal);
            assertEquals(0, serve.process().exitValue(), serve.output());
            assertTrue(serve.output().contains("stop signal received; stopping gracefully signal=SIG" + signal),
                    serve.output());
            Set<String> connected = uuids(eventLines("CONNECTED"));
            assertEquals(CLIENTS, connected.size());
            assertEquals(connected, uuids(eventLines("CLOSE")), "every connection's CLOSE was delivered");
            for (ProcessHandle w : workers) {
                w.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Processes whose working directory is {@code folder} (the workers of a config in it). */
    private static List<Long> runningIn(Path folder) throws IOException {
        Path real = folder.toRealPath();
        List<Long> found = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("cwd")).equals(real)) {
                        found.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | SecurityException gone) {
                    // exited meanwhile, or not ours to read
                }
            }
        }
        return found;
    }

    /** Whether a signal is ignored in a process (its SigIgn mask), as it is for a background job's SIGINT. */
    private static boolean ignoredAtStart(long pid, String signal) throws IOException {
        int number = switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "ABRT" -> 6;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException(signal);
        };
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    @Test
    void sigusr2ResetsTheWorkersAndServesOn() throws Exception {
        int port = ServeProcess.freePort();
        try (ServeProcess serve = ServeProcess.start(config(port, 2, "", ""))) {
            Set<Long> before = serve.process().children().map(ProcessHandle::pid).collect(Collectors.toSet());
            assertEquals(2, before.size(), serve.output());
            serve.signal("USR2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!serve.output().contains("reset: done") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(serve.output().contains("reset signal received; resetting the workers signal=SIGUSR2"),
                    serve.output());
            assertTrue(serve.output().contains("reset: done"), serve.output());
            Set<Long> after = serve.process().children().map(ProcessHandle::pid).collect(Collectors.toSet());
            assertEquals(2, after.size(), serve.output());
            assertTrue(after.stream().noneMatch(before::contains), "every worker is new: " + before + " -> " + after);
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                assertEquals("after reset\n", ask(s, "after reset\n"));
            }
            assertTrue(serve.process().isAlive());
        }
    }

    /** The JVM keeps SIGQUIT for its thread dump: serve prints one and serves on (said in the README). */
    @Test
    void sigquitIsTheJvmsThreadDumpAndServeGoesOn() throws Exception {
        int port = ServeProcess.freePort();
        try (ServeProcess serve = ServeProcess.start(config(port, 1, "", ""))) {
            serve.signal("QUIT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!serve.output().contains("Full thread dump") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(serve.output().contains("Full thread dump"), serve.output());
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(20_000);
                assertEquals("still serving\n", ask(s, "still serving\n"));
            }
        }
    }

    /** Workers that never answer the handshake, allocate_timeout 60s: SIGTERM used to wait all of it. */
    @Test
    void sigtermDuringStartUpKillsTheStartingWorkersAndExitsAtOnce() throws Exception {
        int port = ServeProcess.freePort();
        Path file = config(port, 2, "    HANG_ON_START: \"1\"\n", "    allocate_timeout: 60s\n");
        try (ServeProcess serve = ServeProcess.launch(file)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!serve.output().contains("hanging before the handshake") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<ProcessHandle> workers = serve.process().descendants().toList();
            assertFalse(workers.isEmpty(), "the workers are starting: " + serve.output());
            long signalled = System.nanoTime();
            serve.signal("TERM");
            assertTrue(serve.process().waitFor(20, TimeUnit.SECONDS), "serve exits well before allocate_timeout");
            long tookMs = (System.nanoTime() - signalled) / 1_000_000;
            assertTrue(tookMs < 10_000, "exited " + tookMs + " ms after SIGTERM");
            assertEquals(1, serve.process().exitValue(), serve.output());
            assertTrue(serve.output().contains(
                    "stop signal received during start-up; killing the starting workers and exiting signal=SIGTERM"),
                    serve.output());
            assertFalse(serve.output().contains("rr-tcp started"), serve.output());
            for (ProcessHandle w : workers) {
                w.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(w.isAlive(), "worker " + w.pid() + " outlived serve");
            }
            assertNotEquals(0, workers.size());
            // a worker spawned after the test's look would be orphaned, not a descendant: find it by its folder
            long orphanDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            List<Long> orphans = runningIn(dir);
            while (!orphans.isEmpty() && System.nanoTime() < orphanDeadline) {
                Thread.sleep(50);
                orphans = runningIn(dir);
            }
            orphans.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            assertEquals(List.of(), orphans, "no process started by serve outlives it");
        }
    }
}
