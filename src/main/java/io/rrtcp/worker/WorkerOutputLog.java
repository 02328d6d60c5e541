package io.rrtcp.worker;

import io.rrtcp.log.Log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * What a worker writes outside the protocol (stderr; stdout too on a socket relay): logged line by line with its pid,
 * and the last lines kept for error messages.
 */
final class WorkerOutputLog {
    private static final Log LOG = Log.get("server");
    private static final Log PHP = Log.get("php");
    private static final int LINES_KEPT = 20;

    private final long pid;
    /** Waits for the process to exit (true if it did), for the last pass over a pipe. */
    private final Predicate<Duration> awaitExit;
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();

    WorkerOutputLog(long pid, Predicate<Duration> awaitExit) {
        this.pid = pid;
        this.awaitExit = awaitExit;
    }

    /**
     * Logs {@code stream} line by line. On a platform thread: a read on a pipe holds its thread for as long as it
     * blocks, and a virtual thread's carrier held for the worker's whole life would make the scheduler add and wake
     * spare carriers for every other pipe read.
     */
    void pump(InputStream stream, String name) {
        pumps.add(Thread.ofPlatform().daemon().name(name + "-" + pid).stackSize(256 * 1024).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                readLines(reader, name);
                // When the JDK reaps a process it moves the unread rest of its pipes into a buffer; a read racing that
                // swap sees an early end. Once the process is gone, one more pass picks up those last lines.
                awaitExit.test(Duration.ofSeconds(1));
                readLines(reader, name);
            } catch (IOException e) {
                LOG.debug("worker " + name + " close failed", "pid", pid, "error", e.getMessage());
            }
        }));
    }

    private void readLines(BufferedReader reader, String name) {
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                remember(line);
                PHP.info("[" + pid + "] " + line, "pid", pid);
            }
        } catch (IOException e) {
            LOG.debug("worker " + name + " closed", "pid", pid, "error", e.getMessage());
        }
    }

    private void remember(String line) {
        synchronized (recent) {
            if (recent.size() == LINES_KEPT) {
                recent.removeFirst();
            }
            recent.addLast(line);
        }
    }

    /** Waits up to {@code timeout} per pump for the last lines, e.g. a PHP parse error that belongs in a message. */
    void awaitEnd(Duration timeout) {
        for (Thread pump : pumps) {
            try {
                pump.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The last lines, newline-separated. */
    String recent() {
        synchronized (recent) {
            return String.join("\n", recent);
        }
    }

    /** The last line, or empty. */
    String lastLine() {
        String all = recent();
        return all.substring(all.lastIndexOf('\n') + 1);
    }
}
