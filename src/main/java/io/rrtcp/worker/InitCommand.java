package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code server.on_init}: a command run once before the workers start (migrations, cache warm-up). Its output is logged;
 * it must exit 0 within {@code exec_timeout}.
 */
public final class InitCommand {
    private static final Log LOG = Log.get("server");
    private static final int OUTPUT_LINES_KEPT = 20;

    private InitCommand() {
    }

    /**
     * Runs {@code command} to its end.
     *
     * @throws WorkerException START_FAILED when it cannot start, exits non-zero or outlives {@code timeout}; the
     *                         message holds the exit code and the command's last output lines
     */
    public static void run(List<String> command, Map<String, String> env, Path workdir, Duration timeout)
            throws WorkerException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw failure("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close(); // it gets no input
        } catch (IOException e) {
            LOG.debug("on_init stdin close failed", "error", e.getMessage());
        }
        ArrayDeque<String> tail = new ArrayDeque<>();
        Thread pump = Thread.ofVirtual().name("on_init-output").start(() -> pump(process.getInputStream(), tail, process.pid()));
        LOG.info("on_init command started", "pid", process.pid(), "command", String.join(" ", command));
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.toHandle().destroyForcibly(); // not Process.destroyForcibly(): that closes the pipes, losing unread output
                process.waitFor(5, TimeUnit.SECONDS);
            }
            pump.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure("interrupted while running on_init", e);
        }
        String output = lastLines(tail);
        if (!exited) {
            throw failure("server.on_init: command " + String.join(" ", command) + " did not finish within exec_timeout="
                    + timeout.toMillis() + "ms and was killed" + output, null);
        }
        if (process.exitValue() != 0) {
            throw failure("server.on_init: command " + String.join(" ", command) + " failed with exit code "
                    + process.exitValue() + output, null);
        }
        LOG.info("on_init command finished", "pid", process.pid(), "exit_code", 0);
    }

    private static void pump(InputStream stream, ArrayDeque<String> tail, long pid) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                LOG.info("[on_init " + pid + "] " + line, "pid", pid);
                synchronized (tail) {
                    if (tail.size() == OUTPUT_LINES_KEPT) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("on_init output closed", "pid", pid, "error", e.getMessage());
        }
    }

    private static String lastLines(ArrayDeque<String> tail) {
        synchronized (tail) {
            return tail.isEmpty() ? "" : "; its output:\n" + String.join("\n", tail);
        }
    }

    private static WorkerException failure(String message, Throwable cause) {
        return new WorkerException(WorkerException.Kind.START_FAILED, 0, false, message, cause);
    }
}
