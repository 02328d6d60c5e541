package io.rrtcp.cli;

import io.rrtcp.worker.PipeChannels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code rr-tcp serve} as a real child JVM (this test JVM's java and classpath), for tests that need a process. */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    private ServeProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().start(this::collect);
    }

    /** Starts serve on {@code config} with extra JVM options and waits (30 s at most) until it says it started. */
    static ServeProcess start(Path config, String... jvmOptions) throws Exception {
        return startWith(List.of(jvmOptions), "serve", "-c", config.toString());
    }

    /** Starts {@code rr-tcp ARGS} (a serve command line) and waits (30 s at most) until it says it started. */
    static ServeProcess startWith(List<String> jvmOptions, String... args) throws Exception {
        List<String> all = new ArrayList<>(PipeChannels.JVM_OPTIONS); // as the jar's manifest gives them to java -jar
        all.addAll(jvmOptions);
        return startExactly(all, args);
    }

    /** As {@link #start}, but without the --add-opens of rr-tcp's jar manifest (a JVM that keeps its internals shut). */
    static ServeProcess startWithoutOpens(Path config) throws Exception {
        return startExactly(List.of(), "serve", "-c", config.toString());
    }

    /** Starts serve on {@code config} without waiting for it to say it started (for signals during start-up). */
    static ServeProcess launch(Path config) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(PipeChannels.JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of("serve", "-c", config.toString()));
        return new ServeProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Sends the named signal (e.g. "HUP") to the serve process with kill(1). */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    private static ServeProcess startExactly(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ServeProcess serve = new ServeProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        serve.started.get(30, TimeUnit.SECONDS);
        if (!serve.process.isAlive()) {
            throw new AssertionError("serve exited at start: " + serve.output());
        }
        return serve;
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private void collect() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.contains("rr-tcp started")) {
                    started.complete(null);
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
        started.complete(null);
    }

    Process process() {
        return process;
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
